-- expect: invalid_schema phase=load message~=CONFIG_SCHEMA field 'window': default must be at most 100
-- why: a default outside [min, max].

CONFIG_SCHEMA = {
  window = { type = "integer", default = 500, min = 1, max = 100 },
}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
