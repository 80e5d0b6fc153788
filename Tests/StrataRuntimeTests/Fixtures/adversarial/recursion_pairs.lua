-- expect: runtime phase=tick message~=stack overflow
-- why: a __pairs that calls pairs on itself.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local t = setmetatable({}, { __pairs = function(self) return pairs(self) end })
  for _ in pairs(t) do end
end

function render()
  return { widgets = {} }
end
