return { next = require "deep.d16" }
