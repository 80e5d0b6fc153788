-- expect: ok ticks=1
-- why: every library (string, table, math, utf8, coroutine) refuses assignment, rawset, new keys and setmetatable.

CONFIG_SCHEMA = {}

local function refused(f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "a write to a library was allowed")
  assert(tostring(err):find("read%-only") or tostring(err):find("protected metatable"), tostring(err))
end

function init()
  for name, lib in pairs({ string = string, table = table, math = math, utf8 = utf8, coroutine = coroutine }) do
    refused(function() lib.extra = 1 end)
    refused(function() rawset(lib, "extra", 1) end)
    refused(function() setmetatable(lib, {}) end)
    for key in pairs(lib) do
      refused(function() lib[key] = nil end)
    end
  end
  assert(("abc"):upper() == "ABC" and math.floor(2.5) == 2)
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
