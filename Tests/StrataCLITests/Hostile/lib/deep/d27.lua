return { next = require "deep.d28" }
