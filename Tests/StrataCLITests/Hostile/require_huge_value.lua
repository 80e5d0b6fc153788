-- live: memory_limit|cpu_limit|quarantined
-- check: memory_limit|cpu_limit
-- why: a module returns a large value (1 MiB), and a function that grows it without end: the
-- module's memory is the state's, under its cap (on a loaded machine the tick deadline may come first).

local M = require "abuse_value"
assert(#M.blob == 1 << 20)

CONFIG_SCHEMA = {}

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  M.grow()
  error("ATTACK SUCCEEDED: grow() returned")
end

function render()
  return { widgets = {} }
end
