return { next = require "deep.d26" }
