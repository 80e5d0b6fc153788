-- expect: runtime phase=load message~=attempt to yield from outside a coroutine
-- why: the chunk itself runs on the main thread.

coroutine.yield()

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
