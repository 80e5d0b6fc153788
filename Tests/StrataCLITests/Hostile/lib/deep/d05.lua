return { next = require "deep.d06" }
