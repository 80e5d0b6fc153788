-- expect: missing_function phase=load message~=on_tick must be a function: got a table
-- why: a callable table is not a function: refused at load (the host keeps function references only).

CONFIG_SCHEMA = {}

function init()
  return {}
end

on_tick = setmetatable({}, { __call = function(self, tick) end })

function render()
  return { widgets = {} }
end
