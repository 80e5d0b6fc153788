-- expect: cpu_limit phase=tick
-- why: a catastrophic pattern inside pcall, retried: the kill is not swallowed.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  while true do
    pcall(string.find, string.rep("a", 5000), ".-.-.-.-.-.-.-.-b")
  end
end

function render()
  return { widgets = {} }
end
