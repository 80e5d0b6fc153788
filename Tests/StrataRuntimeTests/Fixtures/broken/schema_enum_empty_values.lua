-- expect: invalid_schema phase=load message~=CONFIG_SCHEMA field 'side': an enum needs values
-- why: an enum with an empty list of values.

CONFIG_SCHEMA = {
  side = { type = "enum", values = {}, default = "long" },
}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
