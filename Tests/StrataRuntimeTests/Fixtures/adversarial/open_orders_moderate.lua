-- expect: ok ticks=20
-- why: a few hundred resting orders, listed every tick, stay well inside the deadlines.

CONFIG_SCHEMA = {}

function init()
  return { open = 0 }
end

function on_tick(tick)
  for i = 1, 20 do
    assert(context.place_order{ side = "buy", qty = 0.001, type = "limit", price = tick.price * 0.1 })
  end
  state.open = #context.get_orders()
end

function render()
  assert(state.open == 400, state.open)
  return { widgets = { { type = "metric", label = "open orders", value = state.open } } }
end
