-- expect: ok ticks=1
-- why: 5,000 widgets with short arrays: large but legal output goes through.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  local widgets = {}
  for i = 1, 5000 do
    widgets[i] = { type = "metric", label = "m" .. i, value = i }
  end
  return { widgets = widgets }
end
