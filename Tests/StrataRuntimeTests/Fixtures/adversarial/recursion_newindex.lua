-- expect: runtime phase=tick message~=stack overflow
-- why: a __newindex function that assigns into itself recurses through C.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local t
  t = setmetatable({}, { __newindex = function(self, key, value) t[key] = value end })
  t.x = 1
end

function render()
  return { widgets = {} }
end
