return { next = require "deep.d20" }
