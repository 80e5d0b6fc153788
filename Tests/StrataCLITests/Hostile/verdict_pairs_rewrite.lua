-- live: runtime|quarantined
-- check: runtime
-- why: the read-only proxies' __pairs handed out the table behind them, so config, context,
-- context.identity and the libraries could be rewritten through pairs. Every write through
-- what pairs returns must be refused: the script tries them all, reports any that worked, and
-- ends with one unprotected write (its refusal is the instance's error).

CONFIG_SCHEMA = { qty = { type = "float", default = 1 } }

local function behind(t)
  local _, target = pairs(t)
  return target
end

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  local targets = {
    config = config, context = context, identity = context.identity,
    string = string, math = math, table = table, coroutine = coroutine,
  }
  local rewritten = {}
  for name, t in pairs(targets) do
    local target = behind(t)
    if type(target) == "table" then
      pcall(function() target.hijacked = name end)
      pcall(rawset, target, "hijacked", name)
      pcall(function() target.format = function() return "hijacked" end end)
      pcall(function() target.place_order = function() return "hijacked" end end)
      pcall(function() target.qty = 1e9 end)
    end
    if rawget(t, "hijacked") ~= nil or t.hijacked ~= nil then rewritten[#rewritten + 1] = name end
  end
  if string.format("%d", 1) ~= "1" then rewritten[#rewritten + 1] = "string.format" end
  if context.place_order ~= nil and context.place_order == "hijacked" then rewritten[#rewritten + 1] = "context.place_order" end
  if config.qty ~= 1 then rewritten[#rewritten + 1] = "config.qty" end
  if #rewritten > 0 then error("ATTACK SUCCEEDED: rewrote " .. table.concat(rewritten, ", "), 0) end
  local target = behind(config)
  target.qty = 1e9
  error("ATTACK SUCCEEDED: wrote config.qty through pairs", 0)
end

function render()
  return { widgets = {} }
end
