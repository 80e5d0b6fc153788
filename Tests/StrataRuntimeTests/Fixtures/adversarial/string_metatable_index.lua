-- expect: runtime phase=tick message~=attempt to index a boolean value
-- why: getmetatable("") is locked (it returns false), so ("x"):method cannot be redirected.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  getmetatable("").__index = function(s, name)
    return function() return "hijacked" end
  end
end

function render()
  return { widgets = {} }
end
