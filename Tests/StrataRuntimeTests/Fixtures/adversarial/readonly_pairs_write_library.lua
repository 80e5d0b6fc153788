-- expect: ok ticks=2
-- why: the write that pairs on a library proxy used to allow (string.rep replaced for the next tick and for code the script calls back into) must be refused.

CONFIG_SCHEMA = {}

function init()
  local _, target = pairs(string)
  local ok = pcall(function() target.rep = function() return "hijacked" end end)
  assert(not ok, "string.rep was replaced through pairs")
  local _, ctx = pairs(context)
  ok = pcall(function() ctx.place_order = function() return "hijacked" end end)
  assert(not ok, "context.place_order was replaced through pairs")
  local _, cfg = pairs(config)
  ok = pcall(function() cfg.x = 1 end)
  assert(not ok, "config was changed through pairs")
  return {}
end

function on_tick(tick)
  assert(string.rep("a", 2) == "aa")
  assert(type(context.place_order) == "function")
  assert(config.x == nil)
end

function render()
  return { widgets = {} }
end
