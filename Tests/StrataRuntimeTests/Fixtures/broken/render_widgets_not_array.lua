-- expect: invalid_render phase=render message~=widgets: expected array, got object
-- why: widgets given as a map.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = { pnl = { type = "metric", label = "PnL", value = 1 } } }
end
