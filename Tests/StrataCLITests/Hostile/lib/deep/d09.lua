return { next = require "deep.d10" }
