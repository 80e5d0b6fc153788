-- expect: ok ticks=2
-- why: Lua 5.4.4 segfaults on a long chain of coroutine.close through pending <close> variables (fixed in 5.4.5); here the chain is cut at a bounded depth and the script goes on.

CONFIG_SCHEMA = {}

local function closer(f)
  return setmetatable({}, { __close = f })
end

function init()
  -- 20,000 suspended coroutines, each holding a <close> variable that closes the previous one.
  local co
  for _ = 1, 20000 do
    local previous = co
    co = coroutine.create(function()
      local x <close> = closer(function()
        if previous then coroutine.close(previous) end
      end)
      coroutine.yield()
    end)
    coroutine.resume(co)
  end
  return { co = co }
end

function on_tick(tick)
  if state.co then
    coroutine.close(state.co)  -- the result is ignored: what matters is that the host survives
    state.co = nil
  end
end

function render()
  return { widgets = {} }
end
