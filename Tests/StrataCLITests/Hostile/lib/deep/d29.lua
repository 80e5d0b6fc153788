return { next = require "deep.d30" }
