-- expect: runtime phase=tick message~=stack overflow
-- why: an __le that compares again.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local mt = {}
  mt.__le = function(a, b) return a <= b end
  local _ = setmetatable({}, mt) <= setmetatable({}, mt)
end

function render()
  return { widgets = {} }
end
