-- expect: invalid_schema phase=load message~=CONFIG_SCHEMA field 'qty': unknown key 'step'
-- why: a misspelled or unsupported key is refused, not ignored.

CONFIG_SCHEMA = {
  qty = { type = "float", default = 1, step = 0.1 },
}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
