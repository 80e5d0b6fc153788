return { next = require "deep.d21" }
