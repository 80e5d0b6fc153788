-- expect: cpu_limit phase=tick
-- why: coroutine.close runs the coroutine's pending __close handlers: a loop there is stopped like anywhere else.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local co = coroutine.create(function()
    local guard <close> = setmetatable({}, { __close = function() while true do end end })
    coroutine.yield()
  end)
  coroutine.resume(co)
  coroutine.close(co)
end

function render()
  return { widgets = {} }
end
