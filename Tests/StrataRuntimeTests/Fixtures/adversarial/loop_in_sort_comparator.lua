-- expect: cpu_limit phase=tick
-- why: table.sort calls the comparator from C; a looping comparator is killed in Lua code.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  table.sort({ 3, 1, 2 }, function(a, b)
    while true do end
  end)
end

function render()
  return { widgets = {} }
end
