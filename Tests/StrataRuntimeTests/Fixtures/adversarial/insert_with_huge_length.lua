-- expect: cpu_limit phase=tick
-- why: table.insert(t, 1, v) shifts #t elements up in C; a __len that claims 2^62 makes that loop endless.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local t = setmetatable({}, { __len = function() return 1 << 62 end })
  table.insert(t, 1, "x")
end

function render()
  return { widgets = {} }
end
