return { next = require "deep.d25" }
