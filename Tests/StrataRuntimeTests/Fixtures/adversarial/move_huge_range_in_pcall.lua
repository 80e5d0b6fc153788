-- expect: cpu_limit phase=tick
-- why: the same, retried under pcall.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  while true do pcall(table.move, {}, 1, math.maxinteger - 1, 1) end
end

function render()
  return { widgets = {} }
end
