-- expect: invalid_render phase=render
-- why: render returning the context proxy itself: read raw it is an empty table, not a widget list.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return context
end
