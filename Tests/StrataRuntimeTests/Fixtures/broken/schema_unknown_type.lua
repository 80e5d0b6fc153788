-- expect: invalid_schema phase=load message~=CONFIG_SCHEMA field 'qty': unknown type 'decimal'
-- why: an unknown field type names the field and the types allowed.

CONFIG_SCHEMA = {
  qty = { type = "decimal", default = 1 },
}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
