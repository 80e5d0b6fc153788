-- expect: runtime phase=tick message~=(error object is a thread value)
-- why: a coroutine as error value.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  error(coroutine.create(function() end))
end

function render()
  return { widgets = {} }
end
