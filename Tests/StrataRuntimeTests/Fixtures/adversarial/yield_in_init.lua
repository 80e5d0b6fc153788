-- expect: runtime phase=init message~=attempt to yield from outside a coroutine
-- why: init runs on the main thread too.

CONFIG_SCHEMA = {}

function init()
  coroutine.yield()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
