return { next = require "deep.d29" }
