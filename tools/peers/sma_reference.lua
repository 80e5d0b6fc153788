-- The SMA crossover rule the peers are compared on (tools/peers/README.md): long-only,
-- `qty` units, SMA over closes; enter when fast crosses above slow, exit when it crosses
-- below, with backtesting.py's strict definition of a cross:
--   prev_fast < prev_slow and fast > slow   (and the mirror for a cross below).
-- Orders go out at bar t's close and fill at bar t+1's open (strata backtest's default).

CONFIG_SCHEMA = {
  fast = { type = "integer", default = 20, min = 1, label = "Fast window" },
  slow = { type = "integer", default = 50, min = 2, label = "Slow window" },
  qty = { type = "float", default = 1, min = 0, label = "Units per trade" },
}

function init()
  return { ring = {}, n = 0, fast_sum = 0, slow_sum = 0, prev_fast = nil, prev_slow = nil, trades = 0 }
end

-- Running sums drift by rounding over a million bars; recomputing them once per lap of the
-- ring keeps them exact enough that no cross flips, at a cost of about one add per bar.
local function resum(s, fast, slow)
  local ring, n = s.ring, s.n
  local fsum, ssum = 0, 0
  for k = 0, slow - 1 do
    local p = ring[(n - k - 1) % slow + 1]
    ssum = ssum + p
    if k < fast then fsum = fsum + p end
  end
  s.fast_sum, s.slow_sum = fsum, ssum
end

function on_tick(tick)
  local s, fast, slow = state, config.fast, config.slow
  local ring = s.ring
  local n = s.n + 1
  s.n = n
  local price = tick.close or tick.price
  local slot = (n - 1) % slow + 1
  if n > slow then s.slow_sum = s.slow_sum - ring[slot] end
  if n > fast then s.fast_sum = s.fast_sum - ring[(n - fast - 1) % slow + 1] end
  ring[slot] = price
  s.slow_sum = s.slow_sum + price
  s.fast_sum = s.fast_sum + price
  if n < slow then return end
  if slot == slow then resum(s, fast, slow) end

  local f, sl = s.fast_sum / fast, s.slow_sum / slow
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
