return { next = require "deep.d05" }
