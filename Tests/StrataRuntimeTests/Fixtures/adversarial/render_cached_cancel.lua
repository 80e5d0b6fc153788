-- expect: runtime phase=render message~=cancel_order is not allowed in render()
-- why: cancelling is trading too: refused from render even through a cached context.

CONFIG_SCHEMA = {}

local trading

function init()
  trading = context
  return {}
end

function on_tick(tick)
  if not state.order then
    state.order = trading.place_order{ side = "buy", qty = 1, type = "limit", price = tick.price * 0.5 }
  end
end

function render()
  trading.cancel_order(state.order.id)
  return { widgets = {} }
end
