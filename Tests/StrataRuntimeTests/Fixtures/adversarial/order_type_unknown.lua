-- expect: runtime phase=tick message~=field 'type' must be "market" or "limit", got "stop"
-- why: unknown order types are refused.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = "buy", qty = 1, type = "stop" }
end

function render()
  return { widgets = {} }
end
