-- expect: cpu_limit phase=tick
-- why: catastrophic backtracking in gsub, which retries at every position.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  string.gsub(string.rep("a", 5000), ".-.-.-.-.-.-.-.-b", "x")
end

function render()
  return { widgets = {} }
end
