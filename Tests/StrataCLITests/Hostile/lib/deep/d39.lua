return { next = require "deep.d40" }
