-- expect: cpu_limit phase=tick
-- why: coroutine.resume returns false instead of raising; the host's flag still stops the script that ignores it.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  while true do
    local ok, err = coroutine.resume(coroutine.create(function()
      while true do end
    end))
  end
end

function render()
  return { widgets = {} }
end
