-- expect: invalid_render phase=render
-- why: an unexpected top-level field.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {}, title = "mine" }
end
