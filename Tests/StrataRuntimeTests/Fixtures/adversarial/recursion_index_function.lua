-- expect: runtime phase=tick message~=stack overflow
-- why: an __index function that indexes itself recurses through C (luaV_finishget): Lua's C-call limit must stop it before the C stack overflows.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local t
  t = setmetatable({}, { __index = function(self, key) return t[key .. "x"] end })
  local _ = t.a
end

function render()
  return { widgets = {} }
end
