return { next = require "deep.d03" }
