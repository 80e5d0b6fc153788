-- expect: runtime phase=tick message~=attempt to mul a 'string' with a 'number'
-- why: a non-numeric string used in arithmetic.

CONFIG_SCHEMA = { threshold = { type = "string", default = "high" } }

function init()
  return {}
end

function on_tick(tick)
  local limit = config.threshold * 2
end

function render()
  return { widgets = {} }
end
