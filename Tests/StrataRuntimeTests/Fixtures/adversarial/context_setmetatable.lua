-- expect: runtime phase=tick message~=cannot change a protected metatable
-- why: removing the context's metatable would expose (or empty) the proxy.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  setmetatable(context, nil)
end

function render()
  return { widgets = {} }
end
