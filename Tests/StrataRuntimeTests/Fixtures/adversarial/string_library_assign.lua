-- expect: runtime phase=tick message~=attempt to modify a read-only table (field 'format')
-- why: replacing a string function by plain assignment is refused too.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  string.format = function() return "hijacked" end
end

function render()
  return { widgets = {} }
end
