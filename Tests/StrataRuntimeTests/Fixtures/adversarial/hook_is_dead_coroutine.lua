-- expect: runtime phase=tick ticks=5 message~=cannot resume dead coroutine
-- why: a wrapped on_tick that returns once is dead on the next tick: an ordinary error.

CONFIG_SCHEMA = {}

function init()
  return {}
end

on_tick = coroutine.wrap(function(tick) end)

function render()
  return { widgets = {} }
end
