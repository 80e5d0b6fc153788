-- Returns one string as large as string.rep allows (bounded, under the cap).
return ("z"):rep(1 << 20)
