-- expect: invalid_render phase=render message~=widgets[0].series[0]
-- why: a series mixing plain numbers and {t, v} points.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = { { type = "line_chart", series = { { name = "p", data = { 1, { t = 2, v = 3 } } } } } } }
end
