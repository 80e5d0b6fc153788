-- expect: cpu_limit phase=tick
-- why: table.concat reads elements through __index; a function there that loops is stopped.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local t = setmetatable({}, { __index = function() while true do end end })
  table.concat(t, ",", 1, 3)
end

function render()
  return { widgets = {} }
end
