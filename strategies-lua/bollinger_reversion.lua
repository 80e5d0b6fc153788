-- bollinger_reversion — Bollinger-band mean reversion, long only.
--
-- Bet that a close more than k standard deviations below its rolling mean is an overreaction
-- that will revert: buy below the lower band, exit when the price is back at the mean (the
-- middle band). This works in ranging markets and loses in trends, where "cheap" gets cheaper:
-- there is deliberately no stop here, so size it small or pair it with a trend filter.
--
-- The bands use the population standard deviation over the last `window` closes, as Bollinger
-- defined them, and include the current close (`ta.bollinger`, computed in C).

CONFIG_SCHEMA = {
  window = { type = "integer", default = 20, min = 2, max = 2000, label = "Window",
             description = "Closes in the rolling mean and standard deviation" },
  k      = { type = "float", default = 2, min = 0.1, max = 10, label = "Band width (std devs)",
             description = "Entry when the close is below mean - k * std dev" },
  qty    = { type = "float", default = 1, min = 1e-8, max = 1e9, label = "Quantity",
             description = "Position size per entry, base units" },
}

local HISTORY = 200 -- points the chart shows
local KEEP = 20     -- rows in the trade table and lines in the log widget

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

function init()
  return {
    n = 0,
    cap = HISTORY,
    ts = {}, px = {}, mid = {}, sd = {}, -- chart history: tick j lives in slot (j - 1) % cap + 1
    bands = ta.bollinger(config.window, config.k), -- mean, upper, lower, stdev; nil while warming up
    mean = 0,                            -- the last mean
    long = false,                        -- our intent; the broker's position sizes the orders
    -- entry_ts, entry_px: set while long, for the round-trip table
    trips = {}, log = {},
  }
end

-- Sends the order that moves the broker's position to `target`, and logs the outcome.
local function trade_to(target, tag, px)
  local delta = target - context.get_position()
  local outcome = "no order (at target)"
  if math.abs(delta) > config.qty * 1e-6 then -- ignore float dust left by earlier fills
    local side = delta > 0 and "buy" or "sell"
    local order, err = context.place_order{ side = side, qty = math.abs(delta), type = "market", tag = tag }
    -- A refusal (observe mode, risk limits, funds) is an outcome to show, not an error to raise.
    outcome = string.format("%s %g (%s)", side, math.abs(delta),
      order and tostring(order.status) or "denied: " .. tostring(err))
  end
  note(string.format("%s at %.6g: %s", tag, px, outcome))
end

---@param tick Tick
function on_tick(tick)
  local s = state
  local x = tick.close or tick.price
  local n = s.n + 1
  s.n = n
  local mean, _, lower, sd = s.bands:update(x)
  local i = (n - 1) % s.cap + 1
  s.ts[i], s.px[i], s.mid[i], s.sd[i] = tick.ts, x, mean, sd
  if mean == nil then return end -- no bands before a full window
  s.mean = mean

  if not s.long and x < lower then
    s.long, s.entry_ts, s.entry_px = true, tick.ts, x
    trade_to(config.qty, "below lower band", x)
  elseif s.long and x >= mean then
    push(s.trips, { entry_ts = s.entry_ts, entry_px = s.entry_px, exit_ts = tick.ts, exit_px = x })
    s.long, s.entry_ts, s.entry_px = false, nil, nil
    trade_to(0, "back at mean", x)
  end
end

function render()
  local s, n, k = state, state.n, config.k
  local price, mid, upper, lower = {}, {}, {}, {}
  for j = math.max(1, n - HISTORY + 1), n do
    local i = (j - 1) % s.cap + 1
    local t = s.ts[i]
    price[#price + 1] = { t = t, v = s.px[i] }
    if s.mid[i] ~= nil and s.sd[i] ~= nil then -- nil while the bands warm up
      mid[#mid + 1] = { t = t, v = s.mid[i] }
      upper[#upper + 1] = { t = t, v = s.mid[i] + k * s.sd[i] }
      lower[#lower + 1] = { t = t, v = s.mid[i] - k * s.sd[i] }
    end
  end

  local rows, wins = {}, 0
  for r = #s.trips, 1, -1 do -- newest first
    local trip = s.trips[r]
    local ret = (trip.exit_px / trip.entry_px - 1) * 100
    if ret > 0 then wins = wins + 1 end
    rows[#rows + 1] = { utc(trip.entry_ts), string.format("%.6g", trip.entry_px), utc(trip.exit_ts),
                        string.format("%.6g", trip.exit_px), string.format("%+.2f%%", ret) }
  end

  local status
  local last = n > 0 and s.px[(n - 1) % s.cap + 1]
  local sd = n > 0 and s.sd[(n - 1) % s.cap + 1] or 0
  if n < config.window then
    status = string.format("Warming up: %d of %d closes.", n, config.window)
  elseif s.long then
    status = string.format("Long since %s at %.6g; exit when the close reaches the mean, now %.6g.",
      utc(s.entry_ts), s.entry_px, s.mean)
  else
    status = string.format("Flat; buy on a close below the lower band, now %.6g.", s.mean - k * sd)
  end

  return { widgets = {
    { type = "line_chart", title = "Bollinger bands", y_label = "price", series = {
      { name = "close", data = price },
      { name = "mean", data = mid },
      { name = "upper", data = upper },
      { name = "lower", data = lower },
    } },
    { type = "text", title = "Status", text = status },
    { type = "metric", label = "z-score", -- where the last close sits, in std devs from the mean
      value = (last and sd > 0) and (last - s.mean) / sd or 0 },
    { type = "metric", label = "Position", value = context.get_position(), unit = "base units" },
    { type = "metric", label = "PnL", value = context.get_pnl() },
    { type = "metric", label = "Winning round trips",
      value = #s.trips > 0 and string.format("%d of %d", wins, #s.trips) or "none yet" },
    { type = "table", title = "Recent round trips (signal prices)",
      columns = { "entry (UTC)", "entry", "exit (UTC)", "exit", "return" }, rows = rows },
    { type = "log", title = "Strategy log", lines = s.log },
  } }
end
