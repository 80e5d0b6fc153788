-- expect: runtime phase=tick message~=coroutines closed in a chain too deep
-- why: the same chain of C-deep closes with every close checked: the C-stack bound surfaces as an ordinary error.

CONFIG_SCHEMA = {}

local function closer(f)
  return setmetatable({}, { __close = f })
end

-- Recurses n C levels deep (gsub calls back into Lua, which calls gsub...), then calls f.
local function deep(n, f)
  if n == 0 then return f() end
  local result
  string.gsub("x", "x", function() result = deep(n - 1, f) end)
  return result
end

function init()
  local co
  for _ = 1, 28 do
    local previous = co
    co = coroutine.create(function()
      local x <close> = closer(function()
        deep(180, function()
          if previous then assert(coroutine.close(previous)) end
        end)
      end)
      coroutine.yield()
    end)
    coroutine.resume(co)
  end
  return { co = co }
end

function on_tick(tick)
  if state.co then
    assert(coroutine.close(state.co))
    state.co = nil
  end
end

function render()
  return { widgets = {} }
end
