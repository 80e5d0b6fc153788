-- expect: runtime phase=tick message~=stack overflow
-- why: arithmetic metamethods that recurse (__unm, __add).

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local mt = {}
  mt.__unm = function(a) return -a end
  mt.__add = function(a, b) return a + b end
  local t = setmetatable({}, mt)
  pcall(function() return t + 1 end)
  local _ = -t
end

function render()
  return { widgets = {} }
end
