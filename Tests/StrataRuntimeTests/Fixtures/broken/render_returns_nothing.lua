-- expect: invalid_render phase=render message~=expected object, got null
-- why: render forgets to return.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  local widgets = { { type = "text", text = "x" } }
end
