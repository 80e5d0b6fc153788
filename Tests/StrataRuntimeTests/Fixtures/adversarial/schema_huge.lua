-- expect: invalid_schema phase=load message~=more than 10000 values
-- why: a schema with 20,000 fields is refused by the read bound instead of building a huge form.

CONFIG_SCHEMA = {}
for i = 1, 20000 do
  CONFIG_SCHEMA["f" .. i] = { type = "integer", default = i }
end

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
