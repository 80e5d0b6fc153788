return { next = require "deep.d23" }
