-- expect: cpu_limit phase=tick
-- why: pcall catches the kill error, but the host decides from its own flag and the kill goes on up.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  while true do
    pcall(function()
      while true do end
    end)
  end
end

function render()
  return { widgets = {} }
end
