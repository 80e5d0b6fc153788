return { next = require "deep.d36" }
