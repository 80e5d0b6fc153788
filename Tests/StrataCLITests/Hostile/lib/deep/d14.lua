return { next = require "deep.d15" }
