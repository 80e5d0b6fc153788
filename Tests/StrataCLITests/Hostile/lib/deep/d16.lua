return { next = require "deep.d17" }
