-- expect: runtime phase=tick message~=attempt to yield from outside a coroutine
-- why: on_tick runs on the main thread: a yield there cannot cross the host boundary.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  coroutine.yield("to the host?")
end

function render()
  return { widgets = {} }
end
