-- expect: runtime phase=tick message~=__call must be a function in the sandbox
-- why: a table whose __call is itself: Lua 5.4.4 inserts the callee once per link (luaD_tryfuncTM shifts the whole stack each time), quadratic C work with no hook in it.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local t = {}
  setmetatable(t, { __call = t })
  t()
end

function render()
  return { widgets = {} }
end
