-- expect: missing_function phase=load message~=on_tick must be a function: got a number
-- why: a hook name bound to something else.

CONFIG_SCHEMA = {}

function init()
  return {}
end

on_tick = 42

function render()
  return { widgets = {} }
end
