-- expect: runtime phase=render message~=attempt to concatenate a nil value (field 'label')
-- why: render fails on a missing field.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = { { type = "text", text = "label: " .. state.label } } }
end
