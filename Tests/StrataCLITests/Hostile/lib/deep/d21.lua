return { next = require "deep.d22" }
