-- expect: runtime phase=tick message~=nil
-- why: error(nil) has no message at all; the report still says something.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  error(nil)
end

function render()
  return { widgets = {} }
end
