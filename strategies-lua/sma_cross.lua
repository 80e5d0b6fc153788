-- sma_cross — simple moving-average crossover (trend following).
--
-- When the fast mean crosses above the slow one, recent prices sit above the longer baseline:
-- we read that as the start of an up-trend and go long. The opposite cross ends it (flat, or
-- short when side = "both"). Crosses confirm a move that has already happened, so entries lag,
-- and in a range-bound market the averages braid and whipsaw: many small losses pay for the
-- few long trends.
--
-- We act on the cross (an edge), not on "fast > slow" (a level): one decision per cross, and
-- in observe mode one recorded signal per cross rather than one per tick.

CONFIG_SCHEMA = {
  fast = { type = "integer", default = 10, min = 1, max = 500, label = "Fast window",
           description = "Ticks in the fast moving average; must be shorter than the slow window" },
  slow = { type = "integer", default = 30, min = 2, max = 2000, label = "Slow window",
           description = "Ticks in the slow moving average, the trend baseline" },
  qty  = { type = "float", default = 1, min = 1e-8, max = 1e9, label = "Quantity",
           description = "Target position size in base units" },
  side = { type = "enum", values = { "both", "long" }, default = "both", label = "Sides",
           description = "both: long above, short below; long: long above, flat below" },
}

local HISTORY = 200 -- points the chart shows; the averages are `ta` objects (C, O(1) a tick)
local KEEP = 20     -- rows in the signal table and lines in the log widget

-- The UTC minute of a timestamp, from the shared module lib/clock.lua (see `require` in README.md).
local utc = require("clock").minute

local function push(list, item) -- append, keeping only the newest KEEP entries
  list[#list + 1] = item
  if #list > KEEP then table.remove(list, 1) end
end

local function note(msg)
  context.log(msg)
  push(state.log, utc(context.now()) .. "  " .. msg)
end

local function check_windows()
  -- The schema cannot relate two fields, so this is checked here; a load error is clearer
  -- than a strategy whose "fast" average is the slow one.
  if config.fast >= config.slow then
    error(string.format("fast window (%d) must be shorter than slow window (%d)", config.fast, config.slow))
  end
end

local function fresh()
  return {
    n = 0,                              -- ticks seen
    cap = HISTORY,
    ts = {}, px = {}, fma = {}, sma = {}, -- chart history: tick j lives in slot (j - 1) % cap + 1
    fast = ta.sma(config.fast),          -- the two means; nil from update() while warming up
    slow = ta.sma(config.slow),
    -- prev_diff (fast - slow on the previous tick) stays nil until both means exist
    signal = "none",
    trades = {}, log = {},
  }
end

function init()
  check_windows()
  return fresh()
end

-- A change of qty or side keeps the warm averages. New windows need new averages, so the
-- price history starts over (the signal table and log are kept).
function on_config(old)
  if old.fast == config.fast and old.slow == config.slow then return end
  check_windows()
  local trades, log = state.trades, state.log
  for k in pairs(state) do state[k] = nil end -- mutate in place: the engine holds this table
  for k, v in pairs(fresh()) do state[k] = v end
  state.trades, state.log = trades, log
  note(string.format("windows now %d/%d: waiting %d ticks to warm up", config.fast, config.slow, config.slow))
end

-- Orders are sized from the broker's position, not from what we believe we hold, so a partial
-- fill, a rejected order or a manual trade is corrected by the next signal.
local function act(tick, signal, target)
  state.signal = signal
  local delta = target - context.get_position()
  local row = { ts = tick.ts, signal = signal, side = "-", qty = 0, price = tick.price, result = "at target" }
  if math.abs(delta) > config.qty * 1e-6 then -- ignore float dust left by earlier fills
    row.side, row.qty = delta > 0 and "buy" or "sell", math.abs(delta)
    local order, err = context.place_order{ side = row.side, qty = row.qty, type = "market", tag = signal }
    -- A refusal (observe mode, risk limits, funds) is an outcome to show, not an error to raise.
    row.result = order and tostring(order.status) or "denied: " .. tostring(err)
  end
  push(state.trades, row)
  local what = row.qty > 0 and string.format("%s %g", row.side, row.qty) or "no order"
  note(string.format("%s cross at %.6g: %s (%s)", signal, tick.price, what, row.result))
end

---@param tick Tick
function on_tick(tick)
  local s = state
  local price, n = tick.price, state.n + 1
  s.n = n
  local fast, slow = s.fast:update(price), s.slow:update(price)
  local i = (n - 1) % s.cap + 1
  s.ts[i], s.px[i], s.fma[i], s.sma[i] = tick.ts, price, fast, slow
  if slow == nil then return end -- warming up (fast < slow, so fast is ready too)

  local diff, prev = fast - slow, s.prev_diff
  s.prev_diff = diff
  if prev == nil then return end -- a cross needs two observations; never trade the first one
  if prev <= 0 and diff > 0 then
    act(tick, "bullish", config.qty)
  elseif prev >= 0 and diff < 0 then
    act(tick, "bearish", config.side == "both" and -config.qty or 0)
  end
end

function render()
  local s, n = state, state.n
  local price, fast, slow = {}, {}, {}
  for j = math.max(1, n - HISTORY + 1), n do
    local i = (j - 1) % s.cap + 1
    local t = s.ts[i]
    price[#price + 1] = { t = t, v = s.px[i] }
    -- A mean is nil while it warms up (also after a shadow took this state with other windows).
    if s.fma[i] ~= nil then fast[#fast + 1] = { t = t, v = s.fma[i] } end
    if s.sma[i] ~= nil then slow[#slow + 1] = { t = t, v = s.sma[i] } end
  end
  local rows = {}
  for k = #s.trades, 1, -1 do -- newest first
    local r = s.trades[k]
    rows[#rows + 1] = { utc(r.ts), r.signal, r.side, string.format("%g", r.qty),
                        string.format("%.6g", r.price), r.result }
  end
  return { widgets = {
    { type = "line_chart", title = "Price and moving averages", y_label = "price", series = {
      { name = "price", data = price },
      { name = "SMA " .. config.fast, data = fast },
      { name = "SMA " .. config.slow, data = slow },
    } },
    { type = "metric", label = "Position", value = context.get_position(), unit = "base units" },
    { type = "metric", label = "PnL", value = context.get_pnl() },
    { type = "metric", label = "Last signal", value = s.signal },
    { type = "table", title = "Recent signals",
      columns = { "time (UTC)", "signal", "side", "qty", "price", "result" }, rows = rows },
    { type = "log", title = "Strategy log", lines = s.log },
  } }
end
