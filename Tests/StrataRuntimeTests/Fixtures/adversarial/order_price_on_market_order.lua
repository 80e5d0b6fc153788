-- expect: runtime phase=tick message~=field 'price' is only for limit orders
-- why: a price on a market order is a mistake, refused rather than ignored.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = "buy", qty = 1, price = 100 }
end

function render()
  return { widgets = {} }
end
