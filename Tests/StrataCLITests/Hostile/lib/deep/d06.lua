return { next = require "deep.d07" }
