-- expect: cpu_limit phase=tick
-- why: table.move({}, -math.maxinteger, -1, 1) is a legal range of 2^63-1 elements: the loop must poll the kill flag.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  table.move({}, -math.maxinteger, -1, 1)
end

function render()
  return { widgets = {} }
end
