-- expect: runtime phase=render message~=attempt to index a nil value (global 'os')
-- why: scripts get no wall clock (context.now() is the engine clock), not even in render.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = { { type = "metric", label = "now", value = os.time() } } }
end
