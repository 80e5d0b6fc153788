---@meta ta
-- Type annotations for the `ta` library: incremental indicators implemented in C inside the
-- sandbox. Make one object per series in `init()`, keep it in `state` (it is saved and
-- restored with it), and feed it one value per bar:
--
-- ```lua
-- function init() return { fast = ta.sma(20), slow = ta.sma(50), cross = ta.crossover() } end
-- function on_tick(tick)
--   local f, s = state.fast:update(tick.close), state.slow:update(tick.close)
--   if state.cross:update(f, s) then ... end   -- nil (warming up) counts as no cross
-- end
-- ```
--
-- Semantics are TradingView's (`ta.*` in Pine): ema, rma, rsi, atr and macd are seeded with
-- the simple mean of their first n values; stdev is the population one. Inputs must be finite
-- numbers within ±1e100 (strings are not converted); anything else raises an error naming the
-- indicator and the argument, and changes nothing. Periods are integers from 1 to 1,000,000.

---What every indicator object has.
---@class ta.Indicator
local Indicator = {}

---The last value `update` returned, or nil while warming up.
---@return number|nil
function Indicator:value() end

---Whether the indicator has a value (it has finished warming up).
---@return boolean
function Indicator:ready() end

---Forgets everything fed so far: the indicator warms up again (periods stay).
function Indicator:reset() end

---The constructor's numbers: period(s), and the multiplier of bollinger.
---@return number ...
function Indicator:period() end

---An indicator over one series: one number per update.
---@class ta.Series: ta.Indicator
local Series = {}

---Feeds one value; returns the indicator's value, or nil while warming up.
---@param value number
---@return number|nil
function Series:update(value) end

---@class ta.MACD: ta.Indicator
local MACD = {}

---Feeds one value; returns the MACD line, its signal line and their difference (histogram),
---or nil until the signal line is ready (slow + signal - 1 values).
---@param value number
---@return number|nil line
---@return number signal
---@return number histogram
function MACD:update(value) end

---@class ta.Bollinger: ta.Indicator
local Bollinger = {}

---Feeds one value; returns the mean, the upper and lower bands (mean ± k stdev) and the
---population standard deviation, or nil for the first period - 1 values.
---@param value number
---@return number|nil mean
---@return number upper
---@return number lower
---@return number stdev
function Bollinger:update(value) end

---@class ta.ATR: ta.Indicator
local ATR = {}

---Feeds one bar; returns the average true range (Wilder's smoothing), or nil while warming up.
---@param high number
---@param low number
---@param close number
---@return number|nil
function ATR:update(high, low, close) end

---@class ta.VWAP: ta.Indicator
local VWAP = {}

---Feeds one trade or bar (e.g. `(high + low + close) / 3` and the bar's volume); returns the
---volume-weighted average price, or nil while the volume sums to 0 (or the window fills).
---@param price number
---@param volume number Not negative.
---@return number|nil
function VWAP:update(price, volume) end

---@class ta.Cross: ta.Indicator
local Cross = {}

---Feeds one pair; returns whether `a` crossed `b` on this update (false on the first update).
---nil for either (an average still warming up) gives false and forgets the previous pair.
---@param a number|nil
---@param b number|nil
---@return boolean
function Cross:update(a, b) end

---@class talib
ta = {}

---Simple moving average of the last `period` values.
---@param period integer
---@return ta.Series
function ta.sma(period) end

---Exponential moving average, α = 2 / (period + 1), seeded with the SMA of the first `period`.
---@param period integer
---@return ta.Series
function ta.ema(period) end

---Weighted moving average: weights 1 (oldest) to `period` (newest).
---@param period integer
---@return ta.Series
function ta.wma(period) end

---Wilder's moving average (RMA, SMMA), α = 1 / period, seeded with the SMA of the first `period`.
---@param period integer
---@return ta.Series
function ta.rma(period) end

---Relative strength index (0–100) over `period` changes: first value after period + 1 inputs.
---@param period integer
---@return ta.Series
function ta.rsi(period) end

---MACD: ema(fast) - ema(slow), and an ema(signal) of that line.
---@param fast integer e.g. 12
---@param slow integer e.g. 26
---@param signal integer e.g. 9
---@return ta.MACD
function ta.macd(fast, slow, signal) end

---Bollinger bands: the SMA of `period` values ± `k` population standard deviations.
---@param period integer
---@param k? number Band width in standard deviations (0–1000), default 2.
---@return ta.Bollinger
function ta.bollinger(period, k) end

---Population standard deviation of the last `period` values.
---@param period integer
---@return ta.Series
function ta.stdev(period) end

---Average true range (`update(high, low, close)`); the first bar's true range is high - low.
---@param period integer
---@return ta.ATR
function ta.atr(period) end

---Highest of the last `period` values (the current one included).
---@param period integer
---@return ta.Series
function ta.highest(period) end

---Lowest of the last `period` values (the current one included).
---@param period integer
---@return ta.Series
function ta.lowest(period) end

---Rate of change in percent: 100 * (x - x[period]) / x[period] (nil when x[period] is 0).
---@param period integer
---@return ta.Series
function ta.roc(period) end

---Volume-weighted average price: cumulative since creation or `reset()` (reset it at a session
---boundary), or over the last `period` updates when one is given.
---@param period? integer
---@return ta.VWAP
function ta.vwap(period) end

---True on the update where `a` goes from at or below `b` to above it.
---@return ta.Cross
function ta.crossover() end

---True on the update where `a` goes from at or above `b` to below it.
---@return ta.Cross
function ta.crossunder() end
