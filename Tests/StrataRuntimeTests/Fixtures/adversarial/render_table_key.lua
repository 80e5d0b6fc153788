-- expect: invalid_render phase=render message~=a table key cannot be converted
-- why: table keys have no JSON form; the error must name the key's real type.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = { [{}] = 1 } }
end
