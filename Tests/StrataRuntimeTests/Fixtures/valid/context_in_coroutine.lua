-- expect: ok ticks=5
-- why: a strategy written as a coroutine (one resume per tick) calls the context from inside it: prices, orders and logs must be the real ones.

CONFIG_SCHEMA = {}

local ctx = context

local strategy = coroutine.wrap(function(tick)
  while true do
    local price = ctx.get_price()
    assert(type(price) == "number" and price == tick.price, "get_price gave a " .. type(price))
    local order, err = ctx.place_order{ side = "buy", qty = 0.01 }
    assert(type(order) == "table" and order.status == "filled", "place_order gave " .. tostring(order) .. ", " .. tostring(err))
    tick = coroutine.yield()
  end
end)

function init()
  return {}
end

function on_tick(tick)
  strategy(tick)
end

function render()
  return { widgets = {} }
end
