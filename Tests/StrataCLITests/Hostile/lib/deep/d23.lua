return { next = require "deep.d24" }
