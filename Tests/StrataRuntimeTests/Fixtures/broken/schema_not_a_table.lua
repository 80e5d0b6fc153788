-- expect: invalid_schema phase=load message~=CONFIG_SCHEMA must be a table of fields, got string
-- why: the schema is a table of fields, not a string.

CONFIG_SCHEMA = "qty:float"

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
