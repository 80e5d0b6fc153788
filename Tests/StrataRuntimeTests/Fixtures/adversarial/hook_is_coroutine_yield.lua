-- expect: runtime phase=tick message~=attempt to yield from outside a coroutine
-- why: on_tick may be any function, even coroutine.yield itself: the host calls it on the main thread and gets an error back.

CONFIG_SCHEMA = {}

function init()
  return {}
end

on_tick = coroutine.yield

function render()
  return { widgets = {} }
end
