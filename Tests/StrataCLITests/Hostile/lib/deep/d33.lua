return { next = require "deep.d34" }
