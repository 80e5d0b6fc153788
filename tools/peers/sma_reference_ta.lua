-- The SMA crossover rule of sma_reference.lua, written with the `ta` library (issue 14): the
-- same trades (backtesting.py's strict cross, next-open fills), the averages computed in C.
-- tools/bench/backtest-vs-peers.sh times it beside sma_reference.lua and the peers.

CONFIG_SCHEMA = {
  fast = { type = "integer", default = 20, min = 1, label = "Fast window" },
  slow = { type = "integer", default = 50, min = 2, label = "Slow window" },
  qty = { type = "float", default = 1, min = 0, label = "Units per trade" },
}

function init()
  return { fast = ta.sma(config.fast), slow = ta.sma(config.slow), prev_fast = nil, prev_slow = nil, trades = 0 }
end

function on_tick(tick)
  local s = state
  local price = tick.close or tick.price
  local f, sl = s.fast:update(price), s.slow:update(price)
  if sl == nil then return end
  local pf, ps = s.prev_fast, s.prev_slow
  s.prev_fast, s.prev_slow = f, sl
  if not pf then return end
  if pf < ps and f > sl then
    if context.get_position() == 0 then
      context.place_order{ side = "buy", qty = config.qty }
      s.trades = s.trades + 1
    end
  elseif pf > ps and f < sl then
    local position = context.get_position()
    if position > 0 then context.place_order{ side = "sell", qty = position } end
  end
end

function render()
  return { widgets = {
    { type = "metric", label = "Entries", value = state.trades },
    { type = "metric", label = "Fast SMA", value = state.prev_fast or 0 },
    { type = "metric", label = "Slow SMA", value = state.prev_slow or 0 },
  } }
end
