-- expect: cpu_limit phase=load
-- why: an endless loop while the chunk runs is stopped at the 1 s load deadline.

CONFIG_SCHEMA = {}

while true do end

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
