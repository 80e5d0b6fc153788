return { b = require "abuse_cycle_b" }
