-- expect: runtime phase=tick message~=field 'price' must be a number, got NaN
-- why: the price gets the same checks as the quantity.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = "buy", qty = 1, type = "limit", price = 0 / 0 }
end

function render()
  return { widgets = {} }
end
