-- expect: invalid_schema phase=load message~=field names must be identifiers
-- why: field names become config keys: identifiers only.

CONFIG_SCHEMA = {
  ["fast-window"] = { type = "integer", default = 5 },
}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
