-- expect: ok ticks=2
-- why: a comparator that is not a strict order (always true, random) must neither crash nor hang the sort.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local t = {}
  for i = 1, 2000 do t[i] = (i * 7919) % 2003 end
  table.sort(t, function(a, b) return true end)
  local seed = 1
  table.sort(t, function(a, b)
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % 2 == 0
  end)
  assert(#t == 2000)
end

function render()
  return { widgets = {} }
end
