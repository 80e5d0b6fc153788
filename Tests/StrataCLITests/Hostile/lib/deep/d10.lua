return { next = require "deep.d11" }
