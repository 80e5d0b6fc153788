return { next = require "deep.d04" }
