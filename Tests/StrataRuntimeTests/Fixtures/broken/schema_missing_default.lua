-- expect: invalid_schema phase=load message~=CONFIG_SCHEMA field 'qty': needs a default
-- why: every field needs a default (check and init run with the defaults).

CONFIG_SCHEMA = {
  qty = { type = "float", min = 0 },
}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
