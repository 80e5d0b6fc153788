-- expect: runtime phase=tick message~=stack overflow
-- why: table.sort whose comparator sorts again: C recursion through the bounded sort.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local function cmp(a, b)
    table.sort({ 3, 2, 1 }, cmp)
    return a < b
  end
  table.sort({ 3, 2, 1 }, cmp)
end

function render()
  return { widgets = {} }
end
