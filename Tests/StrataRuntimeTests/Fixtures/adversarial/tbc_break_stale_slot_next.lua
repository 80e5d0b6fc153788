-- expect: ok ticks=3
-- why: a `break` out of a generic `for` whose closing value's `__close` grows and shrinks the stack, then `next` / `select` with extra arguments (a C function's lua_settop over the loop's old slots): Lua 5.4.4 can run a stale `__close` from lua_settop with a dangling stack pointer; the host must survive.

CONFIG_SCHEMA = {}

local closes = 0
local function deep(n) if n > 0 then return deep(n - 1) + 1 end return 0 end
local closing = setmetatable({}, { __close = function()
  closes = closes + 1
  deep(2000)            -- grows the Lua stack: a reallocation under lua_settop's feet
  local garbage = {}
  for i = 1, 200 do garbage[i] = {} end
end })

local function iterate(_, i) if i < 3 then return i + 1 end end

function init()
  return {}
end

function on_tick(tick)
  for _ = 1, 50 do
    for i in iterate, nil, 0, closing do
      if i == 2 then break end
    end
    next({}, nil, 1, 2, 3, 4, 5, 6, 7, 8)
    select("#", 1, 2, 3, 4, 5, 6, 7, 8)
    for i in iterate, nil, 0, closing do
      if i == 1 then goto out end
    end
    ::out::
    rawequal(1, 1, 2, 3, 4, 5, 6, 7, 8)
  end
  assert(closes > 0)
end

function render()
  return { widgets = {} }
end
