-- expect: cpu_limit phase=tick
-- why: catastrophic backtracking in string.match, with captures.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  string.match(string.rep("a", 5000), "(.-)(.-)(.-)(.-)(.-)(.-)(.-)b")
end

function render()
  return { widgets = {} }
end
