-- expect: runtime phase=tick line=12 message~=attempt to perform arithmetic on a nil value (field 'last')
-- traceback~='change'
-- why: a runtime error deep in a helper reports the line, the message and a traceback through the helper.

CONFIG_SCHEMA = {}

function init()
  return {}
end

local function change(tick)
  return tick.price - state.last
end

function on_tick(tick)
  local delta = change(tick)
  state.last = tick.price
end

function render()
  return { widgets = {} }
end
