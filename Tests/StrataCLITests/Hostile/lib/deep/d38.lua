return { next = require "deep.d39" }
