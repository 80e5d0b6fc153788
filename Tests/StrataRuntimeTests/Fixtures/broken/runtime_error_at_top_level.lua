-- expect: runtime phase=load message~=attempt to call a nil value (global 'helper')
-- why: the chunk calls a function before defining it.

CONFIG_SCHEMA = {}

local WINDOW = helper(20)

local function helper(n) return n end

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
