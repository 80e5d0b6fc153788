-- expect: runtime phase=tick message~=field 'price' is required for limit orders
-- why: a limit order needs its price.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = "buy", qty = 1, type = "limit" }
end

function render()
  return { widgets = {} }
end
