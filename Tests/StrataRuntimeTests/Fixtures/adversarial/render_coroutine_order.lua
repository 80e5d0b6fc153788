-- expect: runtime phase=render message~=place_order is not allowed in render()
-- why: a coroutine that captured the trading context during a tick and is resumed from render cannot trade either.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  if not state.trader then
    local ctx = context
    state.trader = coroutine.wrap(function()
      while true do
        coroutine.yield()
        ctx.place_order{ side = "buy", qty = 1 }
      end
    end)
    state.trader()  -- runs up to the first yield
  end
end

function render()
  state.trader()
  return { widgets = {} }
end
