-- expect: cpu_limit phase=tick
-- why: a handler that calls xpcall with itself as handler, looping at every level.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local function handler(m)
    xpcall(function() while true do end end, handler)
    while true do end
  end
  xpcall(function() while true do end end, handler)
end

function render()
  return { widgets = {} }
end
