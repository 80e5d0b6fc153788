-- expect: invalid_schema phase=load
-- why: a schema that contains itself is refused (cycle and depth bounds) instead of looping in the host.

CONFIG_SCHEMA = { qty = { type = "float", default = 1 } }
CONFIG_SCHEMA.qty.self = CONFIG_SCHEMA

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
