-- expect: runtime phase=tick message~=stack overflow
-- why: an __lt that compares again, reached through table.sort (C) as well.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local mt = {}
  mt.__lt = function(a, b) return a < b end
  local items = { setmetatable({}, mt), setmetatable({}, mt), setmetatable({}, mt) }
  table.sort(items)
end

function render()
  return { widgets = {} }
end
