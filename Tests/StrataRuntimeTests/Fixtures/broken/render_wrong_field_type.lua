-- expect: invalid_render phase=render message~=widgets[0]
-- why: a field of the wrong type (a table as a metric value).

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = { { type = "metric", label = "PnL", value = { 1, 2 } } } }
end
