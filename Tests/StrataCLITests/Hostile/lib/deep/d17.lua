return { next = require "deep.d18" }
