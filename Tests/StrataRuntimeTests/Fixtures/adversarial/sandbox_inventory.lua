-- expect: ok ticks=1
-- why: walks every route to a dangerous name (globals, _G, _ENV, rawget, library tables) and asserts each is closed.

CONFIG_SCHEMA = {}

local forbidden = { "io", "os", "debug", "package", "dofile", "loadfile", "module",
                    "newproxy", "setfenv", "getfenv", "loadstring", "collectgarbage_full", "jit", "ffi" }

local function check_closed()
  for _, name in ipairs(forbidden) do
    assert(_G[name] == nil, "global " .. name .. " is reachable")
    assert(_ENV[name] == nil, "_ENV." .. name .. " is reachable")
    assert(rawget(_G, name) == nil, "rawget(_G, " .. name .. ") is reachable")
  end
  assert(string.dump == nil, "string.dump is reachable")
  for _, lib in ipairs({ string, table, math, utf8, coroutine, time, ta }) do
    for key, value in pairs(lib) do
      assert(type(value) ~= "table" or key == "charpattern", "library table nests a table: " .. tostring(key))
    end
    assert(getmetatable(lib) == false, "a library's metatable is reachable")
  end
  assert(getmetatable("") == false, "the string metatable is reachable")
  assert(getmetatable(ta.sma(2)) == false, "an indicator's metatable is reachable")
  assert(getmetatable(context) == false, "the context's metatable is reachable")
  assert(config == nil or getmetatable(config) == false, "config's metatable is reachable")  -- nil while the chunk runs
  assert(select("#", collectgarbage("count")) == 1)
end

check_closed()

function init()
  check_closed()
  return {}
end

function on_tick(tick)
  check_closed()
end

function render()
  check_closed()
  return { widgets = {} }
end
