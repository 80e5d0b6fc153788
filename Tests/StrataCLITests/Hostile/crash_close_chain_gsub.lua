-- live: runtime|crashed|quarantined
-- check: runtime|crashed
-- why: a chain of 30 coroutine.close calls (well under a plain depth bound), each level first
-- recursing about 190 C levels through gsub callbacks: Lua 5.4.4 does not carry the C-call
-- count across lua_resetthread, so the C stack overflows (SIGSEGV). A close depth that counts C
-- levels refuses the close; the script raises the refusal.

CONFIG_SCHEMA = {}

local function through_gsub(levels, f)
  if levels == 0 then return f() end
  local result
  string.gsub("q", "q", function() result = through_gsub(levels - 1, f) end)
  return result
end

local function chain(length, levels)
  local top
  for _ = 1, length do
    local below = top
    top = coroutine.create(function()
      local guard <close> = setmetatable({}, { __close = function()
        through_gsub(levels, function()
          if below then assert(coroutine.close(below)) end
        end)
      end })
      coroutine.yield()
    end)
    assert(coroutine.resume(top))
  end
  return top
end

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  local ok, err = coroutine.close(chain(30, 190))
  if not ok then error(err, 0) end
  error("neutralized: the close chain ran to its end")
end

function render()
  return { widgets = {} }
end
