return { next = require "deep.d31" }
