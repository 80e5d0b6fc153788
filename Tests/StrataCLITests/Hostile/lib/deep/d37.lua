return { next = require "deep.d38" }
