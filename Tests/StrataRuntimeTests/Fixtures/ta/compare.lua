-- Feeds the reference inputs (reference.csv, in the global DATA) to `ta` objects and compares
-- every output with the reference value (tools/ta-reference/generate.py). Loaded by
-- TaReferenceTests; defines globals:
--   rows_count()              how many bars the file holds
--   run(from, to, options)    feeds bars from..to into the objects in the global `objects`
--                             (made afresh at each file's first bar); raises at the first output
--                             beyond 1e-9 relative or a warm-up that differs; returns the worst
--                             relative error per column. options.refuse: before each bar, feed
--                             NaN, inf and strings, which must raise and change nothing.

local header, rows, col = nil, {}, {}
for line in DATA:gmatch("[^\n]+") do
  if line:sub(1, 1) ~= "#" then
    local fields = {}
    for f in (line .. ","):gmatch("([^,]*),") do fields[#fields + 1] = f end
    if header then rows[#rows + 1] = fields else header = fields end
  end
end
for i, h in ipairs(header) do col[h] = i end

function rows_count() return #rows end

local function make()
  return {
    file = nil,
    sma = ta.sma(20), ema = ta.ema(20), wma = ta.wma(20), rma = ta.rma(14), rsi = ta.rsi(14),
    macd = ta.macd(12, 26, 9), bb = ta.bollinger(20, 2), sd = ta.stdev(20), atr = ta.atr(14),
    hi = ta.highest(20), lo = ta.lowest(20), roc = ta.roc(10), vwap = ta.vwap(), vwap14 = ta.vwap(14),
    co = ta.crossover(), cu = ta.crossunder(),
  }
end

-- Relative error against max(|reference|, floor): differences of prices (macd) are compared at
-- the price's scale, percentages (roc) at 1.
local worst
local function compare(name, got, row, floor)
  local ref = row[col[name]]
  if ref == "" then
    if got ~= nil then error(("%s bar %s %s: expected nil while warming up, got %s"):format(row[1], row[2], name, tostring(got))) end
    return
  end
  ref = tonumber(ref)
  if got == nil then error(("%s bar %s %s: expected %.17g, got nil"):format(row[1], row[2], name, ref)) end
  if type(got) == "boolean" then got = got and 1.0 or 0.0 end
  local scale = math.max(math.abs(ref), floor or 0)
  local err = scale > 0 and math.abs(got - ref) / scale or math.abs(got - ref)
  if err > 1e-9 then error(("%s bar %s %s: expected %.17g, got %.17g"):format(row[1], row[2], name, ref, got)) end
  if err > (worst[name] or 0) then worst[name] = err end
end

-- Bad inputs every object must refuse with an error naming it, changing nothing.
local function refuse(o)
  for _, bad in ipairs({ 0 / 0, 1 / 0, -1 / 0, "1", {} }) do
    for _, key in ipairs({ "sma", "ema", "wma", "rma", "rsi", "macd", "bb", "sd", "hi", "lo", "roc" }) do
      local ok, err = pcall(o[key].update, o[key], bad)
      if ok or not tostring(err):find("ta%.") then error("accepted " .. tostring(bad) .. ": " .. tostring(err)) end
    end
    local ok = pcall(o.atr.update, o.atr, 1, bad, 1) or pcall(o.vwap.update, o.vwap, bad, 1)
    if ok then error("atr or vwap accepted " .. tostring(bad)) end
  end
end

function run(from, to, options)
  worst = {}
  for i = from, to do
    local row = rows[i]
    if objects == nil or objects.file ~= row[1] then
      objects = make()
      objects.file = row[1]
    end
    local o = objects
    if options and options.refuse then refuse(o) end
    local h, l, c, v = tonumber(row[3]), tonumber(row[4]), tonumber(row[5]), tonumber(row[6])
    compare("sma20", o.sma:update(c), row)
    compare("ema20", o.ema:update(c), row)
    compare("wma20", o.wma:update(c), row)
    compare("rma14", o.rma:update(c), row)
    compare("rsi14", o.rsi:update(c), row)
    local line, signal, hist = o.macd:update(c)
    compare("macd_line", line, row, c)
    compare("macd_signal", signal, row, c)
    compare("macd_hist", hist, row, c)
    local mean, upper, lower, sd = o.bb:update(c)
    compare("bb_mean", mean, row)
    compare("bb_upper", upper, row)
    compare("bb_lower", lower, row)
    compare("bb_stdev", sd, row)
    compare("stdev20", o.sd:update(c), row)
    compare("atr14", o.atr:update(h, l, c), row)
    compare("highest20", o.hi:update(c), row)
    compare("lowest20", o.lo:update(c), row)
    compare("roc10", o.roc:update(c), row, 1)
    local typical = (h + l + c) / 3
    compare("vwap", o.vwap:update(typical, v), row)
    compare("vwap14", o.vwap14:update(typical, v), row)
    compare("crossover", o.co:update(c, o.sma:value()), row)
    compare("crossunder", o.cu:update(c, o.sma:value()), row)
    if o.sma:value() ~= select(1, o.sma:value()) or o.sma:ready() ~= (o.sma:value() ~= nil) then error("value/ready disagree") end
  end
  return worst
end

-- Resets every object of the current file: fed that file again from its first bar, they must
-- give the reference values again.
function reset_all()
  for key, o in pairs(objects) do
    if key ~= "file" then
      o:reset()
      if o:ready() or o:value() ~= nil then error(tostring(o) .. " is still ready after reset") end
    end
  end
end
