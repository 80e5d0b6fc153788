-- expect: runtime phase=tick message~=cannot change a protected metatable
-- why: the library proxies' metatables are locked, so their __index (the real library) cannot be swapped.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  setmetatable(string, { __index = { rep = function() return "hijacked" end } })
end

function render()
  return { widgets = {} }
end
