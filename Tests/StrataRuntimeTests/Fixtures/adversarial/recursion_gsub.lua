-- expect: runtime phase=tick message~=stack overflow
-- why: gsub whose replacement function calls gsub again (Lua's cstack.lua test).

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local function foo()
    string.gsub("a", ".", foo)
  end
  foo()
end

function render()
  return { widgets = {} }
end
