-- expect: cpu_limit phase=tick
-- why: a legal but enormous range (1e15 empty slots) is stopped at the deadline.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  table.move({}, 1, 1e15, 1, {})
end

function render()
  return { widgets = {} }
end
