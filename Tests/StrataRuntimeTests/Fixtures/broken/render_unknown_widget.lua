-- expect: invalid_render phase=render message~=widgets[0]
-- why: an unknown widget type.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = { { type = "gauge", value = 3 } } }
end
