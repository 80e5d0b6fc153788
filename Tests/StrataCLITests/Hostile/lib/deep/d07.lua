return { next = require "deep.d08" }
