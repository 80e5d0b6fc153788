-- expect: invalid_render phase=render message~=expected object, got integer
-- why: render returns garbage (a number).

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return 42
end
