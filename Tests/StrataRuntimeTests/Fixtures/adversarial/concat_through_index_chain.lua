-- expect: cpu_limit phase=tick
-- why: table.concat walks a 1,990-table __index chain for each of 900,000 elements (~1.8e9 lookups in C, no call for a hook to see).

CONFIG_SCHEMA = {}

local chained

function init()
  local base = {}
  for i = 1, 900000 do base[i] = "" end
  chained = base
  for _ = 1, 1990 do chained = setmetatable({}, { __index = chained }) end
  return {}
end

function on_tick(tick)
  table.concat(chained, "", 1, 900000)
end

function render()
  return { widgets = {} }
end
