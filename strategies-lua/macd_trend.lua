-- macd_trend — MACD crossover with a trend filter, long only (trend family: ema, macd).
--
-- The MACD line (ema 12 − ema 26) crossing above its signal line says short-term momentum has
-- turned up. Taken alone it whipsaws in ranges, so we only buy while the close is above a long
-- ema (the trend), and sell when the line crosses back below its signal. Indicators are `ta`
-- objects kept in `state`: computed in C, saved and restored with it.

CONFIG_SCHEMA = {
  fast   = { type = "integer", default = 12, min = 1, max = 500, label = "MACD fast ema" },
  slow   = { type = "integer", default = 26, min = 2, max = 1000, label = "MACD slow ema" },
  signal = { type = "integer", default = 9, min = 1, max = 500, label = "Signal ema" },
  trend  = { type = "integer", default = 100, min = 2, max = 5000, label = "Trend ema",
             description = "Entries only while the close is above this ema" },
  qty    = { type = "float", default = 1, min = 1e-8, max = 1e9, label = "Quantity",
             description = "Position size per entry, base units" },
}

local HISTORY = 200 -- points the charts show
local KEEP = 20     -- lines in the log widget

local function push(list, item, keep)
  list[#list + 1] = item
  if #list > keep then table.remove(list, 1) end
end

function init()
  if config.fast >= config.slow then
    error(string.format("fast ema (%d) must be shorter than slow ema (%d)", config.fast, config.slow))
  end
  return {
    n = 0,
    macd = ta.macd(config.fast, config.slow, config.signal),
    trend = ta.ema(config.trend),
    up = ta.crossover(), down = ta.crossunder(),
    price = {}, trend_line = {}, histogram = {}, -- chart points { t, v }
    log = {},
  }
end

-- Sends the order that moves the broker's position to `target`, and logs the outcome.
local function trade_to(target, why, price)
  local delta = target - context.get_position()
  local outcome = "no order (at target)"
  if math.abs(delta) > config.qty * 1e-6 then -- ignore float dust left by earlier fills
    local side = delta > 0 and "buy" or "sell"
    local order, err = context.place_order{ side = side, qty = math.abs(delta), type = "market", tag = why }
    -- A refusal (observe mode, risk limits, funds) is an outcome to show, not an error to raise.
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
  local line, signal, histogram = s.macd:update(x)
  local trend = s.trend:update(x)
  local crossed_up, crossed_down = s.up:update(line, signal), s.down:update(line, signal)
  push(s.price, { t = tick.ts, v = x }, HISTORY)
  if trend then push(s.trend_line, { t = tick.ts, v = trend }, HISTORY) end
  if histogram then push(s.histogram, { t = tick.ts, v = histogram }, HISTORY) end
  if trend == nil or line == nil then return end -- warming up

  local long = context.get_position() > config.qty * 1e-6
  if crossed_up and x > trend and not long then
    trade_to(config.qty, "macd crossed up above the trend", x)
  elseif crossed_down and long then
    trade_to(0, "macd crossed down", x)
  end
end

function render()
  local s = state
  local line, signal, histogram = s.macd:value()
  return { widgets = {
    { type = "line_chart", title = "Close and trend ema", y_label = "price", series = {
      { name = "close", data = s.price },
      { name = "ema " .. config.trend, data = s.trend_line },
    } },
    { type = "line_chart", title = "MACD histogram", series = { { name = "histogram", data = s.histogram } } },
    { type = "metric", label = "MACD", value = line or "warming up" },
    { type = "metric", label = "Signal", value = signal or "warming up" },
    { type = "metric", label = "Histogram", value = histogram or "warming up" },
    { type = "metric", label = "Position", value = context.get_position(), unit = "base units" },
    { type = "metric", label = "PnL", value = context.get_pnl() },
    { type = "log", title = "Strategy log", lines = s.log },
  } }
end
