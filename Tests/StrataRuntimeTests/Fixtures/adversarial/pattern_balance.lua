-- expect: cpu_limit phase=tick
-- why: %b on an unbalanced subject scans to the end from every start: quadratic, in C.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  string.rep("(", 200000):find("%b()")
end

function render()
  return { widgets = {} }
end
