-- expect: missing_function phase=load message~=on_tick must be a function: it is missing
-- why: a required hook is missing.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function ontick(tick)
end

function render()
  return { widgets = {} }
end
