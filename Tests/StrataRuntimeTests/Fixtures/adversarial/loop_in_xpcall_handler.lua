-- expect: cpu_limit phase=tick
-- why: a message handler that loops on an ordinary error is stopped at the deadline.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  xpcall(function() error("ordinary error") end, function(m)
    while true do end
  end)
end

function render()
  return { widgets = {} }
end
