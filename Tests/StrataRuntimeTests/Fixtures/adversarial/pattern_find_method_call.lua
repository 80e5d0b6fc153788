-- expect: cpu_limit phase=tick
-- why: the same through the string metatable (s:find), which must reach the bounded matcher too.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local s = ("a"):rep(5000)
  s:find("a*a*a*a*a*a*a*a*b")
end

function render()
  return { widgets = {} }
end
