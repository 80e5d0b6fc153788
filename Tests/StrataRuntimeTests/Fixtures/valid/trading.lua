-- expect: ok ticks=30
-- why: the whole context API in active mode on the paper broker: market and limit orders, cancel, orders, position, balance, PnL, log, print, warn, identity, every widget type.

CONFIG_SCHEMA = {
  qty = { type = "float", default = 0.5, min = 0.001, max = 10, label = "Quantity" },
  every = { type = "integer", default = 5, min = 1, description = "Trade every N ticks" },
  verbose = { type = "boolean", default = true },
  side = { type = "enum", values = { "buy", "sell" }, default = "buy" },
  note = { type = "string", default = "fixture" },
}

function init()
  assert(context.identity.market == "TEST/USD" and context.identity.account == "paper")
  assert(type(context.identity.id) == "string" and type(context.identity.strategy_type) == "string")
  assert(config.every == 5 and math.type(config.every) == "integer" and config.verbose == true)
  return { n = 0, prices = {}, candles = {}, fills = 0, resting = nil, log = {} }
end

function on_tick(tick)
  state.n = state.n + 1
  assert(tick.market == "TEST/USD" and tick.price > 0 and tick.ts > 0)
  assert(context.get_price() == tick.price and context.now() == tick.ts)
  state.prices[#state.prices + 1] = { t = tick.ts, v = tick.price }
  state.candles[#state.candles + 1] = { t = tick.ts, o = tick.price, h = tick.price * 1.001, l = tick.price * 0.999, c = tick.price, v = tick.volume or 0 }

  if state.n % config.every == 0 then
    local order, err = context.place_order{ side = config.side, qty = config.qty, type = "market", tag = "t" .. state.n }
    assert(order, err)
    assert(order.status == "filled" and order.side == config.side and order.qty == config.qty and order.tag == "t" .. state.n)
    state.fills = state.fills + 1
    if config.verbose then
      context.log(string.format("filled %s %g at %.4f", order.side, order.qty, order.avg_price))
      print("tick", state.n, "position", context.get_position())
    end
  end

  if state.n == 3 then
    local resting = assert(context.place_order{ side = "buy", qty = 0.1, type = "limit", price = tick.price * 0.5 })
    assert(resting.status == "open" and resting.price == tick.price * 0.5)
    state.resting = resting.id
    assert(#context.get_orders() == 1 and context.get_orders()[1].id == resting.id)
  elseif state.n == 4 then
    assert(context.cancel_order(state.resting) == true)
    assert(#context.get_orders() == 0)
    local ok, err = context.cancel_order(state.resting)
    assert(ok == nil and type(err) == "string", "cancelling twice should fail with nil, message")
    warn("cancelled ", state.resting)
  end
  assert(context.get_balance("TEST") == context.get_position())
  assert(type(context.get_balance("USD")) == "number" and type(context.get_pnl()) == "number")
end

function render()
  assert(context.place_order == nil and context.cancel_order == nil)
  local rows = {}
  for i = math.max(1, #state.prices - 4), #state.prices do
    rows[#rows + 1] = { i, state.prices[i].v, i % 2 == 0, "row" }
  end
  return { widgets = {
    { type = "line_chart", title = "Price", y_label = "USD", series = {
      { name = "price", data = state.prices },
      { name = "flat", data = { 1, 2, 3 } },
    } },
    { type = "candles", title = "Candles", data = state.candles },
    { type = "metric", label = "Position", value = context.get_position(), unit = "TEST" },
    { type = "metric", label = "PnL", value = context.get_pnl() },
    { type = "metric", label = "Mode", value = "active" },
    { type = "table", title = "Recent", columns = { "#", "price", "even", "note" }, rows = rows },
    { type = "text", title = "Note", text = config.note .. " <b>not html</b>" },
    { type = "log", title = "Log", lines = { "one", "two" } },
    { type = "log", lines = {} },
  } }
end
