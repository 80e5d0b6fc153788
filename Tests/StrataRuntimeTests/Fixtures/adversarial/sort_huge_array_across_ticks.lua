-- expect: cpu_limit phase=tick ticks=12
-- why: an array built up over ticks (100,000 per tick) and then sorted in one call: the sort must poll the kill flag.

CONFIG_SCHEMA = {}

function init()
  return { values = {}, n = 0 }
end

function on_tick(tick)
  local values, n = state.values, state.n
  if n < 1000000 then
    local seed = n
    for i = n + 1, n + 100000 do
      seed = (seed * 1103515245 + 12345) % 2147483648
      values[i] = seed
    end
    state.n = n + 100000
  else
    table.sort(values)
  end
end

function render()
  return { widgets = {} }
end
