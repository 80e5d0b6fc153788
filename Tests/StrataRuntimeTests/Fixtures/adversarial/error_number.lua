-- expect: runtime phase=tick message~=42
-- why: a number as error value.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  error(42)
end

function render()
  return { widgets = {} }
end
