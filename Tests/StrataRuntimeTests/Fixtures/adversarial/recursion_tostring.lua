-- expect: runtime phase=tick message~=stack overflow
-- why: __tostring calling tostring on itself: C (luaL_tolstring) and Lua alternate on the C stack.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local t = setmetatable({}, { __tostring = function(self) return tostring(self) end })
  tostring(t)
end

function render()
  return { widgets = {} }
end
