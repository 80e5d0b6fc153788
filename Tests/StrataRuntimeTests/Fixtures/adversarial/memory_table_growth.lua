-- expect: memory_limit phase=init
-- why: a table that grows without end hits the 64 MiB cap (the allocator refuses), well before the 1 s deadline.

CONFIG_SCHEMA = {}

function init()
  local t = {}
  for i = 1, math.maxinteger do t[i] = {} end
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
