-- expect: runtime phase=tick message~=order table must have named fields
-- why: an array { "buy", 1 } is not an order.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ "buy", 1 }
end

function render()
  return { widgets = {} }
end
