return { next = require "deep.d09" }
