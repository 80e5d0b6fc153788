-- expect: ok ticks=1
-- why: pairs on a read-only table (every library, the string metatable's __index, config, context, context.identity) must not hand out the table behind the proxy: whatever pairs returns, nothing can be written through it.

CONFIG_SCHEMA = { window = { type = "integer", default = 5 } }

local function refused(f, ...)
  local ok = pcall(f, ...)
  assert(not ok, "a write through pairs was allowed")
end

local function check(name, t)
  local iterator, target, control = pairs(t)
  assert(type(iterator) == "function", name)
  if type(target) == "table" then
    refused(function() target.extra = 1 end)
    refused(function() rawset(target, "extra", 1) end)
    refused(function() setmetatable(target, {}) end)
    assert(next(target) == nil, name .. ": pairs handed out a table with contents")
    assert(getmetatable(target) == false, name .. ": pairs handed out a table with a visible metatable")
    for key in iterator, target, control do
      refused(function() target[key] = nil end)
    end
  end
  -- The iterator refuses any other table.
  refused(iterator, {}, nil)
  refused(iterator, setmetatable({}, { __index = t }), nil)
  -- rawget, next and rawlen see an empty proxy.
  assert(next(t) == nil and rawget(t, "x") == nil, name)
  assert(getmetatable(t) == false, name)
  local count = 0
  for _ in pairs(t) do count = count + 1 end
  return count
end

function init()
  local tables = {
    string = string, table = table, math = math, utf8 = utf8, coroutine = coroutine,
    config = config, context = context, identity = context.identity,
  }
  for name, t in pairs(tables) do
    check(name, t)
  end
  assert(getmetatable("") == false)
  assert(check("string", string) > 10 and check("config", config) == 1 and check("identity", context.identity) == 4)
  assert(string.upper("abc") == "ABC" and config.window == 5 and type(context.log) == "function")
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
