-- expect: invalid_schema phase=load message~=CONFIG_SCHEMA field 'side': default must be one of
-- why: an enum default that is not one of its values.

CONFIG_SCHEMA = {
  side = { type = "enum", values = { "both", "long" }, default = "short" },
}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
