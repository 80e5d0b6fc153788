return { bottom = true }
