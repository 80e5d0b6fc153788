-- expect: missing_function phase=load message~=render must be a function: it is missing
-- why: render is required: it is the strategy's UI.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end
