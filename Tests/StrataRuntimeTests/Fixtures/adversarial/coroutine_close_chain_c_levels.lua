-- expect: ok ticks=2
-- why: a chain of coroutine.close well under the depth bound where every level first recurses about 180 C levels deep through gsub callbacks: Lua 5.4.4 does not carry the C-call count across lua_resetthread, so the C stack overflowed (SIGSEGV); the close that would not fit in the C stack left is refused and the script goes on.

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
          if previous then coroutine.close(previous) end
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
    coroutine.close(state.co)  -- the result is ignored: what matters is that the host survives
    state.co = nil
  end
end

function render()
  return { widgets = {} }
end
