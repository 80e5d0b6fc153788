-- expect: ok ticks=2
-- why: a comparator that shrinks and grows the table being sorted must not crash the host.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local t = {}
  for i = 1, 500 do t[i] = i end
  local calls = 0
  pcall(table.sort, t, function(a, b)
    calls = calls + 1
    if calls % 3 == 0 then t[#t] = nil else t[#t + 1] = calls end
    return (a or 0) < (b or 0)
  end)
end

function render()
  return { widgets = {} }
end
