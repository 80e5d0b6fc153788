-- expect: runtime phase=tick message~=too many orders in one call (limit 100)
-- why: one call may place at most 100 orders.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  for i = 1, 101 do
    context.place_order{ side = "buy", qty = 0.001 }
  end
end

function render()
  return { widgets = {} }
end
