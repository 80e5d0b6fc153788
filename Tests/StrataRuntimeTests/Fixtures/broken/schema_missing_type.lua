-- expect: invalid_schema phase=load message~=CONFIG_SCHEMA field 'qty': needs a type
-- why: a field without a type.

CONFIG_SCHEMA = {
  qty = { default = 1 },
}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
