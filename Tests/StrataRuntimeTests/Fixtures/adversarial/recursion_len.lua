-- expect: runtime phase=tick message~=stack overflow
-- why: a __len that takes its own length.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local t = setmetatable({}, { __len = function(self) return #self end })
  local _ = #t
end

function render()
  return { widgets = {} }
end
