-- expect: ok ticks=3
-- why: exactly 100 orders per call is allowed, and the count starts over at each call.

CONFIG_SCHEMA = {}

function init()
  return { placed = 0 }
end

function on_tick(tick)
  for i = 1, 100 do
    local order, err = context.place_order{ side = i % 2 == 0 and "buy" or "sell", qty = 0.001 }
    assert(order, err)
    state.placed = state.placed + 1
  end
end

function render()
  assert(state.placed == 300)
  return { widgets = {} }
end
