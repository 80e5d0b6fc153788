-- expect: runtime phase=render message~=attempt to yield from outside a coroutine
-- why: render runs on the main thread too.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  coroutine.yield({ widgets = {} })
  return { widgets = {} }
end
