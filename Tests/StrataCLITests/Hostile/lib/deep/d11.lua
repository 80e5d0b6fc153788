return { next = require "deep.d12" }
