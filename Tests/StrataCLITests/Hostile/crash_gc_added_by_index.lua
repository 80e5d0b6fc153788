-- live: runtime|cpu_limit|crashed|quarantined
-- check: runtime|cpu_limit|crashed
-- why: a metatable whose own __index adds __gc (rawset) while the sandbox looks for __gc: a
-- metamethod-aware check finds nothing, Lua's raw check then finds the new __gc and marks the
-- object, and the never-ending finalizer runs inside the collector with hooks off. With raw
-- lookups nothing is marked; after 100 ticks of garbage the script says the attack was
-- neutralized.

CONFIG_SCHEMA = {}

local function finalizer()
  context.log("finalizer ran")
  while true do end
end

local function armed()
  local mt = setmetatable({}, { __index = function(t, key)
    if key == "__gc" then rawset(t, "__gc", finalizer) end
    return nil
  end })
  return setmetatable({}, mt)
end

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  if state.n == 25 then
    for _ = 1, 200 do armed() end  -- all garbage at once: the collector meets them soon
  end
  local garbage = {}
  for i = 1, 5000 do garbage[i] = { i, tostring(i) } end
  if state.n >= 125 then error("neutralized: no finalizer added through __index ran in 100 ticks of garbage") end
end

function render()
  return { widgets = {} }
end
