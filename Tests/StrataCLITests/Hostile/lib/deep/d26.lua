return { next = require "deep.d27" }
