-- expect: runtime phase=tick message~=stack overflow
-- why: each coroutine resumes a new one from inside: lua_resume nests on the C stack until Lua's limit.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local function nest()
    return coroutine.wrap(function() return nest()() end)
  end
  nest()()
end

function render()
  return { widgets = {} }
end
