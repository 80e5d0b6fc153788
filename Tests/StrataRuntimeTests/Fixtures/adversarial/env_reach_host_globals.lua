-- expect: ok ticks=2
-- why: every way to ask for "the real globals" (load, _G._G, a fresh coroutine) yields the same sandboxed table.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local env = _ENV
  assert(_G == env and _G._G == env)
  assert(load("return _ENV", "probe", "t", env)() == env)
  assert(coroutine.wrap(function() return _ENV end)() == env)
  assert(load("return io", "probe", "t", env)() == nil)
  -- A different environment for a loaded chunk is just a table: it grants nothing.
  local fake = setmetatable({}, { __index = function(_, k) return "fake " .. k end })
  assert(load("return os", "probe", "t", fake)() == "fake os")
end

function render()
  return { widgets = {} }
end
