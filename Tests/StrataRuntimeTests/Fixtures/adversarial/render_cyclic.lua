-- expect: invalid_render phase=render message~=cycle
-- why: render output that contains itself is refused by the reader, not followed forever.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  local output = { widgets = {} }
  output.widgets[1] = output
  return output
end
