-- expect: runtime phase=tick message~=coroutines closed in a chain too deep
-- why: the same chain, with every close checked: the depth bound surfaces as an ordinary error.

CONFIG_SCHEMA = {}

local function closer(f)
  return setmetatable({}, { __close = f })
end

function init()
  local co
  for _ = 1, 20000 do
    local previous = co
    co = coroutine.create(function()
      local x <close> = closer(function()
        if previous then assert(coroutine.close(previous)) end
      end)
      coroutine.yield()
    end)
    coroutine.resume(co)
  end
  return { co = co }
end

function on_tick(tick)
  assert(coroutine.close(state.co))
end

function render()
  return { widgets = {} }
end
