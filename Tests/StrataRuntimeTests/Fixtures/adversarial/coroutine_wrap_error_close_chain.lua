-- expect: runtime phase=tick message~=closed in a chain too deep
-- why: a wrapped coroutine that dies closes its pending variables, whose __close resumes the next dying one: the same C recursion as coroutine.close, through another door.

CONFIG_SCHEMA = {}

local last

function init()
  -- 3,000 wrapped coroutines, each suspended with a <close> variable that resumes the previous one.
  for _ = 1, 3000 do
    local previous = last
    last = coroutine.wrap(function()
      local x <close> = setmetatable({}, { __close = function() if previous then previous() end end })
      coroutine.yield()
      error("boom")
    end)
    last()  -- run to the yield
  end
  return {}
end

function on_tick(tick)
  last()  -- dies, and its close resumes the previous one, which dies, and so on
end

function render()
  return { widgets = {} }
end
