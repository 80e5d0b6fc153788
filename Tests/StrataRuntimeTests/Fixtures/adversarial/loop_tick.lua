-- expect: cpu_limit phase=tick
-- why: the plainest hang: an endless loop in on_tick is stopped at the 50 ms tick deadline.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  while true do end
end

function render()
  return { widgets = {} }
end
