-- expect: runtime phase=tick message~=cycle
-- why: an order table that contains itself is refused by the read bounds.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  local order = { side = "buy", qty = 1 }
  order.tag = order
  context.place_order(order)
end

function render()
  return { widgets = {} }
end
