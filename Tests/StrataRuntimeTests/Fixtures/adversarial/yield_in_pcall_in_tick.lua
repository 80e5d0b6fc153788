-- expect: runtime phase=tick message~=attempt to yield from outside a coroutine
-- why: a yield under the sandbox's pcall (which supports yields inside coroutines) still cannot reach the host.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local ok, err = pcall(coroutine.yield, 1)
  error(err, 0)
end

function render()
  return { widgets = {} }
end
