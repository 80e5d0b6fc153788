-- expect: invalid_render phase=render message~=more than 200000 values
-- why: 300,000 values exceed the reader's bound: refused instead of exhausting the host.

CONFIG_SCHEMA = {}

function init()
  local data = {}
  for i = 1, 300000 do data[i] = i end
  return { data = data }
end

function on_tick(tick)
end

function render()
  return { widgets = { { type = "line_chart", series = { { name = "x", data = state.data } } } } }
end
