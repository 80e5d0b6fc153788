-- expect: ok ticks=1
-- why: Lua's calls.lua tests for a C-stack overflow while handling a C-stack overflow (a 5.4.4 bug area); the guarded handler must not make it worse.

CONFIG_SCHEMA = {}

function init()
  local function loop()
    assert(pcall(loop))
  end
  local err, msg = xpcall(loop, loop)
  assert(not err and string.find(msg, "error"), msg)

  local function deep(x, y, z)
    return 1 + deep(x, y, z)
  end
  local res, msg2 = xpcall(deep, deep)
  assert(not res and msg2 == "error in error handling", msg2)
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
