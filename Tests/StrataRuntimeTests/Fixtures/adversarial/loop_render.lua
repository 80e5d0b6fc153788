-- expect: cpu_limit phase=render
-- why: render() has its own 50 ms deadline.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  local widgets = {}
  while true do widgets[1] = { type = "text", text = "x" } end
  return { widgets = widgets }
end
