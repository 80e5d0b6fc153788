-- expect: ok ticks=3
-- why: pcall/xpcall/error with strings, tables and levels, rethrowing and __close on errors behave as in Lua.

CONFIG_SCHEMA = {}

local function check()
  local ok, err = pcall(error, "plain", 0)
  assert(not ok and err == "plain")
  ok, err = pcall(function() error("with position") end)
  assert(not ok and err:find("with position") and err:find(":%d+:"))
  ok, err = pcall(function() error({ code = 7, reason = "table" }) end)
  assert(not ok and err.code == 7 and err.reason == "table")
  ok, err = pcall(function() local x = nil; return x.field end)
  assert(not ok and err:find("attempt to index a nil value"))
  local function inner() error("level 2", 2) end
  ok, err = pcall(function() inner() end)
  assert(not ok and err:find("level 2"))

  -- pcall returns every result on success.
  local a, b, c = pcall(function(...) return ... end, 1, 2)
  assert(a == true and b == 1 and c == 2)
  assert(select("#", pcall(function() end)) == 1)

  -- xpcall with a message handler, extra arguments, and nested rethrow.
  local handled
  ok, err = xpcall(function(x) error("bad " .. x, 0) end, function(m)
    handled = m
    return "handled: " .. m
  end, "input")
  assert(not ok and err == "handled: bad input" and handled == "bad input")
  ok, err = pcall(function()
    local ok2, err2 = pcall(error, { level = 1 })
    err2.level = err2.level + 1
    error(err2)
  end)
  assert(not ok and err.level == 2)
  assert(select(2, xpcall(function() return "fine" end, print)) == "fine")

  -- assert's messages and values.
  ok, err = pcall(assert, false, "assert message")
  assert(not ok and err == "assert message")
  ok, err = pcall(assert, nil)
  assert(not ok and err == "assertion failed!")
  assert(select("#", assert(1, 2, 3)) == 3)

  -- to-be-closed variables see the error and run on the way out.
  local log = {}
  ok, err = pcall(function()
    local guard <close> = setmetatable({}, { __close = function(_, e) log[#log + 1] = e end })
    error("unwinding", 0)
  end)
  assert(not ok and err == "unwinding" and log[1] == "unwinding")

  -- tostring of error values without __tostring.
  assert(tostring(nil) == "nil" and type(tostring({})) == "string")
end

check()

function init()
  check()
  return {}
end

function on_tick(tick)
  check()
end

function render()
  return { widgets = {} }
end
