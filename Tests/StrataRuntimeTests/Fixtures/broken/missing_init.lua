-- expect: missing_function phase=load message~=init must be a function: it is missing
-- why: init is required even when it has nothing to set up.

CONFIG_SCHEMA = {}

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
