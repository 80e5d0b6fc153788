-- expect: cpu_limit phase=tick
-- why: a gmatch iterator made in init and first called in on_tick (another call, another deadline) is still bounded.

CONFIG_SCHEMA = {}

local iterator

function init()
  iterator = string.gmatch(string.rep("a", 5000), ".-.-.-.-.-.-.-.-b")
  return {}
end

function on_tick(tick)
  iterator()
end

function render()
  return { widgets = {} }
end
