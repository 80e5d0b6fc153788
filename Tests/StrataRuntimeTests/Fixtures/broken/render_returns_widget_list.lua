-- expect: invalid_render phase=render
-- why: render returns the widget list itself instead of { widgets = ... } (an array is not the object expected).

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { { type = "text", text = "x" } }
end
