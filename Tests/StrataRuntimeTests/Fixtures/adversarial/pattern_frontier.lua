-- expect: cpu_limit phase=tick
-- why: frontier patterns with backtracking quantifiers.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  string.rep("ab ", 3000):find("%f[%a].-%f[%a].-%f[%a].-%f[%a].-%f[%a].-%f[%a]c")
end

function render()
  return { widgets = {} }
end
