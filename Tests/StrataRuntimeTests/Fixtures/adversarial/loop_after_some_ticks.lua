-- expect: cpu_limit phase=tick ticks=10
-- why: a strategy that behaves for a while and then hangs is stopped on the tick that hangs.

CONFIG_SCHEMA = {}

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n == 6 then
    while true do end
  end
end

function render()
  return { widgets = {} }
end
