-- live: runtime|crashed|quarantined
-- check: runtime|crashed
-- why: two Lua 5.4.4 bugs chained: a `break` (or goto) out of a generic `for` leaves a stale
-- to-be-closed slot, and a C function that trims the stack (next, select, rawequal with extra
-- arguments: lua_settop) then runs that `__close` with a dangling stack pointer after the
-- closing value grew the stack: a use-after-free, SIGSEGV. If 100 ticks of it do no harm, the
-- script says the attack was neutralized.

CONFIG_SCHEMA = {}

local function grow(n) if n > 0 then return grow(n - 1) + 1 end return 0 end

local closing = setmetatable({}, { __close = function()
  grow(2000)  -- reallocates the Lua stack under lua_settop's feet
  local churn = {}
  for i = 1, 300 do churn[i] = { i } end
end })

local function step(_, i) if i < 4 then return i + 1 end end

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  for _ = 1, 20 do
    for i in step, nil, 0, closing do
      if i == 2 then break end
    end
    next({}, nil, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
    for i in step, nil, 0, closing do
      if i == 3 then goto after end
    end
    ::after::
    select("#", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
    rawequal(state, state, 1, 2, 3, 4, 5, 6)
  end
  if state.n >= 125 then error("neutralized: 100 ticks of break out of to-be-closed loops did no harm") end
end

function render()
  return { widgets = {} }
end
