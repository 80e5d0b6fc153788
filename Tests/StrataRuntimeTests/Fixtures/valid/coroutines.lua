-- expect: ok ticks=5
-- why: generators, wrap, status, isyieldable, yields across pcall, errors in coroutines and close with <close> all work under the tracked wrappers.

CONFIG_SCHEMA = {}

local function range(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i) end
  end)
end

local function check()
  local sum = 0
  for i in range(10) do sum = sum + i end
  assert(sum == 55)

  local co = coroutine.create(function(a, b)
    assert(coroutine.isyieldable())
    local c = coroutine.yield(a + b)
    local d, e = coroutine.yield(c * 2)
    return d + e
  end)
  assert(coroutine.status(co) == "suspended")
  local ok, v = coroutine.resume(co, 1, 2)
  assert(ok and v == 3)
  ok, v = coroutine.resume(co, 10)
  assert(ok and v == 20)
  ok, v = coroutine.resume(co, 4, 5)
  assert(ok and v == 9 and coroutine.status(co) == "dead")
  ok, v = coroutine.resume(co)
  assert(not ok and v:find("dead"))
  assert(not coroutine.isyieldable())

  local main, is_main = coroutine.running()
  assert(is_main and coroutine.status(main) == "running")

  -- A yield inside the sandbox's pcall, inside a coroutine.
  local guarded = coroutine.wrap(function()
    local ok2, value = pcall(function()
      local got = coroutine.yield("paused")
      error({ code = got })
    end)
    return ok2, value.code
  end)
  assert(guarded() == "paused")
  local ok3, code = guarded(42)
  assert(ok3 == false and code == 42)

  -- Errors inside coroutines come back from resume.
  local failing = coroutine.create(function() error("inside", 0) end)
  local ok4, err = coroutine.resume(failing)
  assert(not ok4 and err == "inside" and coroutine.status(failing) == "dead")
  local ok5, err5 = pcall(coroutine.wrap(function() error("wrapped", 0) end))
  assert(not ok5 and err5 == "wrapped")

  -- coroutine.close runs pending to-be-closed variables.
  local closed = {}
  local holder = coroutine.create(function()
    local a <close> = setmetatable({}, { __close = function() closed[#closed + 1] = "a" end })
    local b <close> = setmetatable({}, { __close = function() closed[#closed + 1] = "b" end })
    coroutine.yield()
  end)
  coroutine.resume(holder)
  assert(coroutine.close(holder) and closed[1] == "b" and closed[2] == "a")
  assert(coroutine.status(holder) == "dead")
  assert(coroutine.close(coroutine.create(print)))

  -- close returns the error of a failing __close.
  local bad = coroutine.create(function()
    local x <close> = setmetatable({}, { __close = function() error("close failed", 0) end })
    coroutine.yield()
  end)
  coroutine.resume(bad)
  local okc, errc = coroutine.close(bad)
  assert(okc == false and errc == "close failed")

  -- Producer/consumer.
  local producer = coroutine.create(function()
    for _, item in ipairs({ "a", "b", "c" }) do coroutine.yield(item) end
    return nil
  end)
  local items = {}
  while true do
    local _, item = coroutine.resume(producer)
    if not item then break end
    items[#items + 1] = item
  end
  assert(table.concat(items) == "abc")
end

check()

function init()
  check()
  return { gen = range(1000), n = 0 }
end

function on_tick(tick)
  state.n = state.n + state.gen()  -- a generator kept in state across ticks
  check()
end

function render()
  assert(state.n == 15, state.n)
  return { widgets = {} }
end
