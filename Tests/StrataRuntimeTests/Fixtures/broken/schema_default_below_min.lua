-- expect: invalid_schema phase=load message~=CONFIG_SCHEMA field 'qty': default must be at least
-- why: a default below min.

CONFIG_SCHEMA = {
  qty = { type = "float", default = 0, min = 0.001 },
}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
