-- breakout — Donchian channel breakout, long only (the Turtle traders' entry rule).
--
-- A close above the highest high of the previous N bars means the market has left its recent
-- range; we bet the move continues and buy. We exit when a close falls below the lowest low of
-- the previous N bars (the range has failed the other way) or, optionally, at a fixed stop under
-- the entry. Most breakouts fail, so expect a low hit rate carried by a few large winners.
--
-- This file uses the "returned table" form: the chunk returns a table holding the hooks instead
-- of defining globals. `context`, `config` and `state` are still globals.

---@class Breakout: Strategy
local S = {}

S.CONFIG_SCHEMA = {
  lookback = { type = "integer", default = 20, min = 2, max = 1000, label = "Lookback (bars)",
               description = "The channel is the highest high and lowest low of the previous N bars" },
  qty      = { type = "float", default = 1, min = 1e-8, max = 1e9, label = "Quantity",
               description = "Position size per entry, base units" },
  stop_pct = { type = "float", default = 0, min = 0, max = 50, label = "Stop loss (%)",
               description = "Exit when the close falls this far below the entry close; 0 disables the stop" },
}

local HISTORY = 200 -- bars the line chart shows
local CANDLES = 100 -- bars the candle chart shows
local KEEP = 20     -- rows in the signal table and lines in the log widget

---@param ts number unix seconds
local function utc(ts) -- "YYYY-MM-DD hh:mm"
  return time.format(ts, "%Y-%m-%d %H:%M")
end

local function push(list, item) -- append, keeping only the newest KEEP entries
  list[#list + 1] = item
  if #list > KEEP then table.remove(list, 1) end
end

local function note(msg)
  context.log(msg)
  push(state.log, utc(context.now()) .. "  " .. msg)
end

function S.init()
  return {
    n = 0,
    cap = HISTORY,
    highs = ta.highest(config.lookback), -- the channel: highest high and lowest low of N bars
    lows = ta.lowest(config.lookback),
    -- ring buffers, bar j in slot (j - 1) % cap + 1; vol[i] is false when the feed had no volume
    t = {}, open = {}, high = {}, low = {}, close = {}, vol = {}, upper = {}, lower = {},
    long = false, -- our intent; the broker's position sizes the orders
    -- stop_px: set while long with a stop
    signals = {}, log = {},
  }
end

-- Records a signal and sends the order that moves the broker's position to `target`.
local function act(tick, signal, target, px)
  local row = { ts = tick.ts, signal = signal, side = "-", qty = 0, price = px, result = "at target" }
  local delta = target - context.get_position()
  if math.abs(delta) > config.qty * 1e-6 then -- ignore float dust left by earlier fills
    row.side, row.qty = delta > 0 and "buy" or "sell", math.abs(delta)
    local order, err = context.place_order{ side = row.side, qty = row.qty, type = "market", tag = signal }
    -- A refusal (observe mode, risk limits, funds) is an outcome to show, not an error to raise.
    row.result = order and tostring(order.status) or "denied: " .. tostring(err)
  end
  push(state.signals, row)
  local what = row.qty > 0 and string.format("%s %g", row.side, row.qty) or "no order"
  note(string.format("%s at %.6g: %s (%s)", signal, px, what, row.result))
end

---@param tick Tick
function S.on_tick(tick)
  local s = state
  local px = tick.close or tick.price
  local n = s.n + 1
  -- The channel covers the previous N bars, not this one: a bar can never close above a
  -- channel that already contains its own high. So it is read before this bar is fed.
  local upper, lower = s.highs:value(), s.lows:value()

  -- Feeds that send only a price get flat bars; max/min keep the bar consistent with its close.
  local i = (n - 1) % s.cap + 1
  s.n, s.t[i], s.close[i], s.vol[i] = n, tick.ts, px, tick.volume or false
  s.open[i] = tick.open or px
  s.high[i] = math.max(tick.high or px, px, s.open[i])
  s.low[i] = math.min(tick.low or px, px, s.open[i])
  s.highs:update(s.high[i])
  s.lows:update(s.low[i])
  s.upper[i], s.lower[i] = upper or px, lower or px -- plotted only once the channel exists
  if not upper then return end

  if not s.long and px > upper then
    s.long = true
    s.stop_px = config.stop_pct > 0 and px * (1 - config.stop_pct / 100) or nil
    act(tick, "breakout", config.qty, px)
  elseif s.long and (px < lower or (s.stop_px and px <= s.stop_px)) then
    local signal = px < lower and "breakdown" or "stop"
    s.long, s.stop_px = false, nil
    act(tick, signal, 0, px)
  end
end

function S.render()
  local s, n = state, state.n
  local close, upper, lower, candles = {}, {}, {}, {}
  for j = math.max(1, n - HISTORY + 1), n do
    local i = (j - 1) % s.cap + 1
    local t = s.t[i]
    close[#close + 1] = { t = t, v = s.close[i] }
    if s.upper[i] ~= nil and s.lower[i] ~= nil then -- nil while the channel warms up
      upper[#upper + 1] = { t = t, v = s.upper[i] }
      lower[#lower + 1] = { t = t, v = s.lower[i] }
    end
    if j > n - CANDLES then
      candles[#candles + 1] = { t = t, o = s.open[i], h = s.high[i], l = s.low[i], c = s.close[i],
                                v = s.vol[i] or nil }
    end
  end

  local rows = {}
  for r = #s.signals, 1, -1 do -- newest first
    local row = s.signals[r]
    rows[#rows + 1] = { utc(row.ts), row.signal, row.side, string.format("%g", row.qty),
                        string.format("%.6g", row.price), row.result }
  end

  -- Channel width as a share of price: how wide a range a breakout has to clear.
  local width = { type = "metric", label = "Channel width", value = "warming up" }
  if n > config.lookback then
    local i = (n - 1) % s.cap + 1
    width.value = math.floor((s.upper[i] - s.lower[i]) / s.close[i] * 10000 + 0.5) / 100
    width.unit = "% of price"
  end

  return { widgets = {
    { type = "candles", title = "Last " .. CANDLES .. " bars", data = candles },
    { type = "line_chart", title = "Close and Donchian channel (" .. config.lookback .. " bars)",
      y_label = "price", series = {
        { name = "close", data = close },
        { name = "upper", data = upper },
        { name = "lower", data = lower },
      } },
    { type = "metric", label = "Position", value = context.get_position(), unit = "base units" },
    { type = "metric", label = "PnL", value = context.get_pnl() },
    width,
    { type = "metric", label = "Stop", value = s.stop_px or (s.long and "none" or "flat") },
    { type = "table", title = "Recent signals",
      columns = { "time (UTC)", "signal", "side", "qty", "price", "result" }, rows = rows },
    { type = "log", title = "Strategy log", lines = s.log },
  } }
end

return S
