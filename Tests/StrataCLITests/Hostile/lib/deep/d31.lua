return { next = require "deep.d32" }
