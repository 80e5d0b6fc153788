return { next = require "deep.d33" }
