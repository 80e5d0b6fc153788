-- expect: invalid_schema phase=load message~=CONFIG_SCHEMA is missing
-- why: every strategy declares its config, even an empty one.

local WINDOW = 20

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
