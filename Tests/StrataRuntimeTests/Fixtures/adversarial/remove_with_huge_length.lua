-- expect: cpu_limit phase=tick
-- why: table.remove(t, 1) shifts #t elements down in C; a __len that claims math.maxinteger makes that loop endless.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local t = setmetatable({}, { __len = function() return math.maxinteger end })
  table.remove(t, 1)
end

function render()
  return { widgets = {} }
end
