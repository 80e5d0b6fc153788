return { next = require "deep.d35" }
