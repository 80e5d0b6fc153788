return { next = require "deep.d19" }
