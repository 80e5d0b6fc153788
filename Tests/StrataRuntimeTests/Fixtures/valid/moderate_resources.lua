-- expect: ok ticks=20
-- why: a strategy that keeps a lot of history (megabytes of state, a 5,000-point chart) stays well inside every limit.

CONFIG_SCHEMA = {}

function init()
  local history = {}
  for i = 1, 200000 do history[i] = i * 0.5 end  -- about 3 MB, built within init's deadline
  return { history = history, points = {} }
end

function on_tick(tick)
  local points = state.points
  for i = 1, 250 do
    points[#points + 1] = { t = tick.ts + i, v = tick.price + i * 1e-3 }
  end
  local sum = 0
  for i = #state.history - 999, #state.history do sum = sum + state.history[i] end
  state.sum = sum
end

function render()
  assert(#state.points == 5000)
  return { widgets = {
    { type = "line_chart", series = { { name = "p", data = state.points } } },
    { type = "metric", label = "sum", value = state.sum },
  } }
end
