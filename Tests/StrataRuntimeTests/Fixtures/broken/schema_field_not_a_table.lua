-- expect: invalid_schema phase=load message~=CONFIG_SCHEMA field 'qty': must be a table
-- why: a field given as a bare value.

CONFIG_SCHEMA = {
  qty = 1,
}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
