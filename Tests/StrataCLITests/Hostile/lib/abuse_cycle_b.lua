return { a = require "abuse_cycle_a" }
