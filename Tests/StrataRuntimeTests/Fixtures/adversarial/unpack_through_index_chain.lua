-- expect: cpu_limit phase=tick
-- why: table.unpack of 900,000 elements each read through a 1,990-table __index chain: ~1.8e9 lookups in C.

CONFIG_SCHEMA = {}

local chained

function init()
  local base = {}
  for i = 1, 900000 do base[i] = i end
  chained = base
  for _ = 1, 1990 do chained = setmetatable({}, { __index = chained }) end
  return {}
end

function on_tick(tick)
  local n = select("#", table.unpack(chained, 1, 900000))
end

function render()
  return { widgets = {} }
end
