return { next = require "deep.d14" }
