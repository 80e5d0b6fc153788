-- expect: cpu_limit phase=tick
-- why: a coroutine resuming a coroutine resuming a coroutine that loops: the innermost is killed and the kill unwinds all.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local function level(depth)
    return coroutine.create(function()
      if depth == 0 then
        while true do end
      end
      while true do coroutine.resume(level(depth - 1)) end
    end)
  end
  while true do coroutine.resume(level(20)) end
end

function render()
  return { widgets = {} }
end
