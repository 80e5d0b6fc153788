-- expect: invalid_render phase=render message~=widgets[0]
-- why: a widget missing a required field.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = { { type = "metric", label = "PnL" } } }
end
