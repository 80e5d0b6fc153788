-- expect: cpu_limit phase=tick
-- why: the kill lands on the coroutine that is running, not only on the main thread.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local co = coroutine.create(function()
    while true do end
  end)
  coroutine.resume(co)
end

function render()
  return { widgets = {} }
end
