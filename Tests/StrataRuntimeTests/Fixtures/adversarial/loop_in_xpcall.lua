-- expect: cpu_limit phase=tick
-- why: xpcall catches the kill like pcall does; the kill still propagates.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  while true do
    xpcall(function() while true do end end, function(m) return m end)
  end
end

function render()
  return { widgets = {} }
end
