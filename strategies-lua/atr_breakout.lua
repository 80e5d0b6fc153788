-- atr_breakout — channel breakout with an ATR trailing stop, long only (volatility/breakout
-- family: atr, highest, lowest).
--
-- A close above the highest close of the previous `entry` bars is a breakout: buy. The stop
-- trails `stop_atr` average true ranges under the highest close since the entry, so it widens
-- when the market gets noisier and tightens when it calms; a close below the lowest close of
-- the previous `exit` bars also ends the trade. Indicators are `ta` objects kept in `state`.

CONFIG_SCHEMA = {
  entry    = { type = "integer", default = 20, min = 2, max = 1000, label = "Entry channel (bars)" },
  exit     = { type = "integer", default = 10, min = 2, max = 1000, label = "Exit channel (bars)" },
  atr      = { type = "integer", default = 14, min = 1, max = 500, label = "ATR period" },
  stop_atr = { type = "float", default = 3, min = 0.1, max = 20, label = "Stop distance (ATRs)" },
  qty      = { type = "float", default = 1, min = 1e-8, max = 1e9, label = "Quantity" },
}

local HISTORY = 200
local KEEP = 20

local function push(list, item, keep)
  list[#list + 1] = item
  if #list > keep then table.remove(list, 1) end
end

function init()
  return {
    n = 0,
    highs = ta.highest(config.entry), lows = ta.lowest(config.exit), atr = ta.atr(config.atr),
    price = {}, upper = {}, stop_line = {},
    -- peak, stop: set while long
    log = {},
  }
end

local function trade_to(target, why, price)
  local delta = target - context.get_position()
  local outcome = "no order (at target)"
  if math.abs(delta) > config.qty * 1e-6 then
    local side = delta > 0 and "buy" or "sell"
    local order, err = context.place_order{ side = side, qty = math.abs(delta), type = "market", tag = why }
    outcome = string.format("%s %g (%s)", side, math.abs(delta), order and tostring(order.status) or "denied: " .. tostring(err))
  end
  local line = string.format("bar %d: %s at %.6g: %s", state.n, why, price, outcome)
  context.log(line)
  push(state.log, line, KEEP)
end

---@param tick Tick
function on_tick(tick)
  local s = state
  local x = tick.close or tick.price
  s.n = s.n + 1
  -- The channels cover the previous bars, so they are read before this bar is fed.
  local upper, lower = s.highs:value(), s.lows:value()
  s.highs:update(x)
  s.lows:update(x)
  local atr = s.atr:update(tick.high or x, tick.low or x, x)
  push(s.price, { t = tick.ts, v = x }, HISTORY)
  if upper then push(s.upper, { t = tick.ts, v = upper }, HISTORY) end
  if s.stop then push(s.stop_line, { t = tick.ts, v = s.stop }, HISTORY) end
  if upper == nil or lower == nil or atr == nil then return end -- warming up

  if s.peak == nil then
    if x > upper then
      s.peak, s.stop = x, x - config.stop_atr * atr
      trade_to(config.qty, "breakout", x)
    end
  else
    s.peak = math.max(s.peak, x)
    s.stop = math.max(s.stop, s.peak - config.stop_atr * atr) -- a trailing stop only rises
    if x <= s.stop or x < lower then
      local why = x <= s.stop and "trailing stop" or "exit channel"
      s.peak, s.stop = nil, nil
      trade_to(0, why, x)
    end
  end
end

function render()
  local s = state
  return { widgets = {
    { type = "line_chart", title = "Close, entry channel and stop", y_label = "price", series = {
      { name = "close", data = s.price },
      { name = "highest " .. config.entry, data = s.upper },
      { name = "stop", data = s.stop_line },
    } },
    { type = "metric", label = "ATR", value = s.atr:value() or "warming up" },
    { type = "metric", label = "Stop", value = s.stop or "flat" },
    { type = "metric", label = "Position", value = context.get_position(), unit = "base units" },
    { type = "metric", label = "PnL", value = context.get_pnl() },
    { type = "log", title = "Strategy log", lines = s.log },
  } }
end
