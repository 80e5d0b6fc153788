-- expect: memory_limit phase=init
-- why: coroutine.close runs pending __close handlers protected; a handler that hits the cap makes close return false, msg: still a kill.

CONFIG_SCHEMA = {}

function init()
  local co = coroutine.create(function()
    local x <close> = setmetatable({}, { __close = function()
      local s = "x"
      while true do s = s .. s end
    end })
    coroutine.yield()
  end)
  coroutine.resume(co)
  local ok, err = coroutine.close(co)
  return { err = tostring(err) }
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
