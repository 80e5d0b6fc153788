-- expect: runtime phase=tick message~=__gc metamethods are not allowed in the sandbox
-- why: a metatable that only inherits __gc (through its own __index) is refused as well.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local mt = setmetatable({}, { __index = { __gc = function() while true do end end } })
  setmetatable({}, mt)
end

function render()
  return { widgets = {} }
end
