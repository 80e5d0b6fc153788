-- live: runtime|quarantined
-- check: runtime
-- why: every `ta` input must be a finite number (within ±1e100): NaN, ±inf, strings that look
-- like numbers, nil, tables and numbers past the bound are refused with an error that names the
-- indicator and the argument, and a refused update changes nothing. The script floods every
-- kind with them under pcall, checks that the values did not move, and ends with one
-- unprotected NaN (its refusal is the instance's error).

CONFIG_SCHEMA = {}

local bad = { 0 / 0, -(0 / 0), 1 / 0, -1 / 0, 1e101, -1e300, "1", "nan", "0x10", {}, true }

local function make()
  return {
    sma = ta.sma(5), ema = ta.ema(5), wma = ta.wma(5), rma = ta.rma(5), rsi = ta.rsi(5),
    macd = ta.macd(2, 4, 2), bollinger = ta.bollinger(5), stdev = ta.stdev(5), highest = ta.highest(5),
    lowest = ta.lowest(5), roc = ta.roc(5),
  }
end

function init()
  return { n = 0, flooded = make(), clean = make(), atr = ta.atr(5), vwap = ta.vwap(5) }
end

function on_tick(tick)
  state.n = state.n + 1
  local p = tick.price
  for name, o in pairs(state.flooded) do
    for round = 1, 50 do
      for _, x in ipairs(bad) do
        local ok, err = pcall(o.update, o, x)
        if ok then error("ATTACK SUCCEEDED: " .. name .. " accepted " .. tostring(x), 0) end
        if not tostring(err):find("ta." .. name, 1, true) then error("ATTACK SUCCEEDED: unclear: " .. tostring(err), 0) end
      end
    end
    local got, want = o:update(p), state.clean[name]:update(p)
    if got ~= want then error("ATTACK SUCCEEDED: refused inputs moved " .. name, 0) end
  end
  for _, x in ipairs(bad) do
    if pcall(state.atr.update, state.atr, p, x, p) then error("ATTACK SUCCEEDED: atr accepted " .. tostring(x), 0) end
    if pcall(state.vwap.update, state.vwap, x, 1) then error("ATTACK SUCCEEDED: vwap accepted " .. tostring(x), 0) end
  end
  if pcall(state.vwap.update, state.vwap, p, -1) then error("ATTACK SUCCEEDED: vwap accepted a negative volume", 0) end
  if state.n >= 25 then state.flooded.sma:update(0 / 0) end
end

function render()
  return { widgets = {} }
end
