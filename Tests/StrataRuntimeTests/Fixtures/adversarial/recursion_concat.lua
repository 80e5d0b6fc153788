-- expect: runtime phase=tick message~=stack overflow
-- why: a __concat that concatenates its own operand again.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local mt = {}
  mt.__concat = function(a, b) return a .. b end
  local t = setmetatable({}, mt)
  local _ = t .. "x"
end

function render()
  return { widgets = {} }
end
