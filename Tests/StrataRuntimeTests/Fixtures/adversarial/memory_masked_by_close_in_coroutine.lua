-- expect: memory_limit phase=tick
-- why: the same masking inside a coroutine (resume returns false, msg) and inside xpcall with a handler: the cap still ends the call.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local co = coroutine.create(function()
    local guard <close> = setmetatable({}, { __close = function() error("masked", 0) end })

    local s = "x"
    while true do s = s .. s end
  end)
  local ok, err = coroutine.resume(co)
  ok, err = xpcall(function()
    local guard <close> = setmetatable({}, { __close = function() error("masked", 0) end })
    local s = "x"
    while true do s = s .. s end
  end, function() return "handled" end)
  state.err = err
end

function render()
  return { widgets = {} }
end
