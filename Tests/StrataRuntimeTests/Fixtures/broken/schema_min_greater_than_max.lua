-- expect: invalid_schema phase=load message~=is greater than max
-- why: contradictory bounds.

CONFIG_SCHEMA = {
  window = { type = "integer", default = 5, min = 10, max = 1 },
}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
