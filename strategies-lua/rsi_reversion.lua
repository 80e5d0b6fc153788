-- rsi_reversion — RSI and Bollinger mean reversion, long only (mean-reversion family: rsi,
-- bollinger).
--
-- Buy when the market looks oversold twice over: the RSI is below `oversold` and the close is
-- below the Bollinger mean. Sell when the RSI recovers past `exit_rsi` or the close reaches the
-- upper band. Like every mean-reversion rule it loses in a strong trend, where oversold stays
-- oversold: there is no stop, so size it small. Indicators are `ta` objects kept in `state`.

CONFIG_SCHEMA = {
  rsi_period = { type = "integer", default = 14, min = 2, max = 500, label = "RSI period" },
  oversold   = { type = "float", default = 30, min = 1, max = 50, label = "Oversold RSI",
                 description = "Entry when the RSI is below this (and the close below the mean)" },
  exit_rsi   = { type = "float", default = 55, min = 40, max = 99, label = "Exit RSI" },
  window     = { type = "integer", default = 20, min = 2, max = 2000, label = "Bollinger window" },
  k          = { type = "float", default = 2, min = 0.1, max = 10, label = "Band width (std devs)" },
  qty        = { type = "float", default = 1, min = 1e-8, max = 1e9, label = "Quantity" },
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
    rsi = ta.rsi(config.rsi_period),
    bands = ta.bollinger(config.window, config.k),
    price = {}, mean = {}, upper = {}, lower = {}, rsi_line = {},
    trades = 0, log = {},
  }
end

local function trade_to(target, why, price)
  local delta = target - context.get_position()
  local outcome = "no order (at target)"
  if math.abs(delta) > config.qty * 1e-6 then
    local side = delta > 0 and "buy" or "sell"
    local order, err = context.place_order{ side = side, qty = math.abs(delta), type = "market", tag = why }
    outcome = string.format("%s %g (%s)", side, math.abs(delta), order and tostring(order.status) or "denied: " .. tostring(err))
    state.trades = state.trades + 1
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
  local rsi = s.rsi:update(x)
  local mean, upper, lower = s.bands:update(x)
  push(s.price, { t = tick.ts, v = x }, HISTORY)
  if rsi then push(s.rsi_line, { t = tick.ts, v = rsi }, HISTORY) end
  if mean == nil or rsi == nil then return end -- warming up
  push(s.mean, { t = tick.ts, v = mean }, HISTORY)
  push(s.upper, { t = tick.ts, v = upper }, HISTORY)
  push(s.lower, { t = tick.ts, v = lower }, HISTORY)

  local long = context.get_position() > config.qty * 1e-6
  if not long and rsi < config.oversold and x < mean then
    trade_to(config.qty, string.format("oversold (rsi %.1f)", rsi), x)
  elseif long and (rsi > config.exit_rsi or x >= upper) then
    trade_to(0, string.format("recovered (rsi %.1f)", rsi), x)
  end
end

function render()
  local s = state
  return { widgets = {
    { type = "line_chart", title = "Close and Bollinger bands", y_label = "price", series = {
      { name = "close", data = s.price },
      { name = "mean", data = s.mean },
      { name = "upper", data = s.upper },
      { name = "lower", data = s.lower },
    } },
    { type = "line_chart", title = "RSI " .. config.rsi_period, series = { { name = "rsi", data = s.rsi_line } } },
    { type = "metric", label = "RSI", value = s.rsi:value() or "warming up" },
    { type = "metric", label = "Position", value = context.get_position(), unit = "base units" },
    { type = "metric", label = "PnL", value = context.get_pnl() },
    { type = "metric", label = "Orders", value = s.trades },
    { type = "log", title = "Strategy log", lines = s.log },
  } }
end
