-- expect: ok ticks=2
-- why: pairs/next/# over the context and config see their contents but give no way to write or to reach the original tables.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  local names = {}
  for name, value in pairs(context) do
    names[#names + 1] = name
    assert(type(value) == "function" or name == "identity")
  end
  table.sort(names)
  assert(table.concat(names, ",") == "cancel_order,get_balance,get_orders,get_pnl,get_position,get_price,identity,log,notify,now,place_order",
         table.concat(names, ","))
  assert(getmetatable(context) == false and getmetatable(context.identity) == false)
  local seen = 0
  for key, value in pairs(config) do seen = seen + 1 end
  assert(seen == 1 and config.qty == 1)
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
