-- expect: invalid_schema phase=load message~=CONFIG_SCHEMA field 'window': default must be an integer
-- why: an integer field with a fractional default.

CONFIG_SCHEMA = {
  window = { type = "integer", default = 2.5 },
}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
