-- expect: runtime phase=tick message~=stack overflow
-- why: gsub with a table replacement whose __index calls gsub again (Lua's cstack.lua test).

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local foo
  local t = setmetatable({}, { __index = function() return foo() end })
  foo = function()
    string.gsub("a", ".", t)
  end
  foo()
end

function render()
  return { widgets = {} }
end
