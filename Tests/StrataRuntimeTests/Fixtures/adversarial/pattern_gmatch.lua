-- expect: cpu_limit phase=tick
-- why: catastrophic backtracking inside a gmatch iterator.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  for word in string.gmatch(string.rep("a", 5000), ".-.-.-.-.-.-.-.-b") do end
end

function render()
  return { widgets = {} }
end
