-- expect: ok ticks=1
-- why: a __close handler (running inside coroutine.close) that tries to resume or close its own coroutine gets an error, not a corrupted thread.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local co
  co = coroutine.create(function()
    local x <close> = setmetatable({}, { __close = function()
      local ok, err = coroutine.resume(co)
      assert(not ok)
      local ok2 = pcall(coroutine.close, co)
      assert(not ok2)
    end })
    coroutine.yield()
  end)
  coroutine.resume(co)
  assert(coroutine.close(co))
  assert(coroutine.status(co) == "dead")
end

function render()
  return { widgets = {} }
end
