-- live: cpu_limit|quarantined
-- check: cpu_limit
-- why: an endless loop that catches whatever stops it and starts again: the deadline's kill
-- must go through pcall, xpcall handlers and coroutines, or the tick never ends.

CONFIG_SCHEMA = {}

local function spin()
  local co = coroutine.wrap(function() while true do end end)
  xpcall(co, function() while true do end end)
end

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  while true do
    pcall(spin)
  end
end

function render()
  return { widgets = {} }
end
