-- expect: memory_limit phase=init
-- why: the same masking inside a coroutine (resume returns false, msg) and inside xpcall with a handler: the cap still ends the call.

CONFIG_SCHEMA = {}

function init()
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
  return { err = err }
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
