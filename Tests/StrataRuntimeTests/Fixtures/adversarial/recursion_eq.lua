-- expect: runtime phase=tick message~=stack overflow
-- why: an __eq that compares the same two tables again.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local mt = {}
  mt.__eq = function(a, b) return a == b end
  local x, y = setmetatable({}, mt), setmetatable({}, mt)
  local _ = x == y
end

function render()
  return { widgets = {} }
end
