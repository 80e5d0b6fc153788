-- expect: ok ticks=3
-- why: a metatable that only inherits __gc (through its own __index) gives no finalizer: Lua looks __gc up raw, and so does the sandbox's check (a metamethod-aware check would run the metatable's own code, which could add __gc during the check).

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local mt = setmetatable({}, { __index = { __gc = function() while true do end end } })
  state[#state + 1] = setmetatable({}, mt)  -- alive until the state closes: no finalizer runs then
end

function render()
  return { widgets = {} }
end
