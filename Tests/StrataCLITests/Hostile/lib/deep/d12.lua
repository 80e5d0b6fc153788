return { next = require "deep.d13" }
