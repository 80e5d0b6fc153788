-- expect: cpu_limit phase=tick
-- why: catastrophic backtracking in string.find runs in C for hours; the bounded matcher is stopped at the deadline.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  string.rep("a", 5000):find(".-.-.-.-.-.-.-.-b")
end

function render()
  return { widgets = {} }
end
