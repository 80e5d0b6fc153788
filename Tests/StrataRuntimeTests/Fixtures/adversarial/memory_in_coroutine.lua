-- expect: memory_limit phase=init
-- why: a coroutine that dies of the memory cap returns false from resume; the host's flag still says killed.

CONFIG_SCHEMA = {}

function init()
  local base = ("x"):rep(1024):rep(1024)
  local ok, err = coroutine.resume(coroutine.create(function()
    local t = {}
    for i = 1, math.maxinteger do t[i] = base .. i end
  end))
  return { err = err }
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
