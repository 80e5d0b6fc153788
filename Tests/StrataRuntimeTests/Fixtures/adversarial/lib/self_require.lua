-- Requires itself: the shortest cycle.
return require "self_require"
