return { next = require "deep.d37" }
