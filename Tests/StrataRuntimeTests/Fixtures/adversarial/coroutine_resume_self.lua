-- expect: ok ticks=1
-- why: resuming the running coroutine, a normal one, or a dead one is an error result, never a crash.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local ok, err = coroutine.resume(coroutine.running())
  assert(not ok and err:find("non%-suspended"), err)
  local outer
  outer = coroutine.create(function()
    local inner = coroutine.create(function()
      local ok2, err2 = coroutine.resume(outer)
      assert(not ok2 and err2:find("non%-suspended"), err2)
      local ok3, err3 = pcall(coroutine.close, outer)
      assert(not ok3 and err3:find("normal"), err3)
    end)
    assert(coroutine.resume(inner))
  end)
  assert(coroutine.resume(outer))
  ok, err = coroutine.resume(outer)
  assert(not ok and err:find("dead"), err)
  local ok4, err4 = pcall(coroutine.close, coroutine.running())
  assert(not ok4, "closing the running coroutine must fail")
end

function render()
  return { widgets = {} }
end
