-- expect: cpu_limit phase=tick
-- why: every read of table.move walks a 1,990-table __index chain (no call a hook could see): the loop's own polling must stop it.

CONFIG_SCHEMA = {}

local chained

function init()
  local base = {}
  for i = 1, 1000 do base[i] = i end
  chained = base
  for _ = 1, 1990 do chained = setmetatable({}, { __index = chained }) end
  return {}
end

function on_tick(tick)
  table.move(chained, 1, 1e9, 1, {})
end

function render()
  return { widgets = {} }
end
