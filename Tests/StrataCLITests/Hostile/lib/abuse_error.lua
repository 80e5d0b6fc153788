error("abuse_error refuses to load")
