-- expect: invalid_render phase=render message~=NaN
-- why: NaN and infinities are not JSON: an invalid_render error, not a crash or a bogus document.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {
    { type = "metric", label = "nan", value = 0 / 0 },
    { type = "metric", label = "inf", value = math.huge },
    { type = "line_chart", series = { { name = "s", data = { 1, -math.huge, 0 / 0 } } } },
  } }
end
