return { next = require "deep.d02" }
