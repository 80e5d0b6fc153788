-- live: runtime|quarantined
-- check: runtime
-- why: one `ta` method called on an object of another kind would read its block with the
-- wrong layout (ring positions from another kind's slots: memory outside the object). Every
-- method of every kind is called on every other kind and on every other type of value, with
-- too few and too many arguments, through the metatable if one can be reached; all must raise.
-- The script ends with one unprotected wrong receiver (its refusal is the instance's error).

CONFIG_SCHEMA = {}

local kinds = {
  sma = { 3 }, ema = { 3 }, wma = { 3 }, rma = { 3 }, rsi = { 3 }, macd = { 2, 3, 2 }, bollinger = { 3, 2 },
  stdev = { 3 }, atr = { 3 }, highest = { 3 }, lowest = { 3 }, roc = { 3 }, vwap = { 3 },
  crossover = {}, crossunder = {},
}
local methods = { "update", "value", "ready", "reset", "period" }

function init()
  local objects = {}
  for name, args in pairs(kinds) do objects[name] = ta[name](table.unpack(args)) end
  return { n = 0, objects = objects }
end

function on_tick(tick)
  state.n = state.n + 1
  local objects = state.objects
  local others = { 1, "x", {}, true, print, coroutine.create(function() end), string }
  for name, o in pairs(objects) do
    if getmetatable(o) ~= false then error("ATTACK SUCCEEDED: the metatable of ta." .. name .. " is reachable", 0) end
    for _, method in ipairs(methods) do
      local f = o[method]
      for other_name, other in pairs(objects) do
        if other_name ~= name then
          local ok = pcall(f, other, tick.price, tick.price, tick.price)
          if ok then error("ATTACK SUCCEEDED: ta." .. name .. ":" .. method .. " ran on ta." .. other_name, 0) end
        end
      end
      for _, v in ipairs(others) do
        if pcall(f, v, 1) then error("ATTACK SUCCEEDED: ta." .. name .. ":" .. method .. " ran on a " .. type(v), 0) end
      end
      if pcall(f) then error("ATTACK SUCCEEDED: ta." .. name .. ":" .. method .. " ran without a receiver", 0) end
      if method ~= "update" and pcall(f, o, 1) then error("ATTACK SUCCEEDED: " .. method .. " took an argument", 0) end
    end
    if pcall(o.update, o, 1, 2, 3, 4) then error("ATTACK SUCCEEDED: ta." .. name .. " took four inputs", 0) end
    if pcall(function() o.update = nil end) or pcall(rawset, o, "update", 1) or pcall(setmetatable, o, {}) then
      error("ATTACK SUCCEEDED: ta." .. name .. " was modified", 0)
    end
  end
  if pcall(function() ta.sma = function() end end) or pcall(rawset, ta, "sma", 1) then
    error("ATTACK SUCCEEDED: the ta table was modified", 0)
  end
  if state.n >= 25 then objects.sma.update(objects.highest, 1) end
end

function render()
  return { widgets = {} }
end
