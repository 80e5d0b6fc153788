-- expect: cpu_limit phase=tick
-- why: coroutine.wrap re-raises errors; a pcall around it must not swallow the kill.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  while true do
    pcall(coroutine.wrap(function()
      while true do end
    end))
  end
end

function render()
  return { widgets = {} }
end
