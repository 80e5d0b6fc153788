-- expect: cpu_limit phase=tick
-- why: Lua runs handlers for errors raised by the hook with hooks off: a looping handler for the kill itself would hang the host.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  while true do
    xpcall(function() while true do end end, function(m)
      while true do end
    end)
  end
end

function render()
  return { widgets = {} }
end
