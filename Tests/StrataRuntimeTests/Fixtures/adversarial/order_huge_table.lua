-- expect: runtime phase=tick message~=more than 32 values
-- why: an order table with thousands of fields is refused by the read bounds before any field check.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  local order = { side = "buy", qty = 1 }
  for i = 1, 5000 do order[i] = i end
  context.place_order(order)
end

function render()
  return { widgets = {} }
end
