-- expect: invalid_render phase=render message~=cannot convert a function value
-- why: functions cannot be shown.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = { { type = "text", text = print } } }
end
