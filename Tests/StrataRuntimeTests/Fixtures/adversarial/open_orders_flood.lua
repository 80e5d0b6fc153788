-- expect: ok ticks=30
-- why: resting limit orders far from the market pile up (100 per tick, 3,000 in all, past the cap of 1,000 open orders); what one host call does with them must stay bounded.

CONFIG_SCHEMA = {}

function init()
  return { refused = 0 }
end

function on_tick(tick)
  for i = 1, 100 do
    -- A broker that caps open orders answers nil, err: that is fine here.
    local order = context.place_order{ side = "buy", qty = 0.001, type = "limit", price = tick.price * 0.1 }
    if not order then state.refused = state.refused + 1 end
  end
end

function render()
  local open = 0
  for _ = 1, 3 do open = #context.get_orders() end
  return { widgets = { { type = "metric", label = "open orders", value = open } } }
end
