-- expect: ok ticks=10
-- why: on_tick may be a coroutine.wrap function (a C function): each tick resumes it; a legit pattern that must keep working.

CONFIG_SCHEMA = {}

function init()
  return { seen = 0 }
end

on_tick = coroutine.wrap(function(tick)
  while true do
    state.seen = state.seen + 1
    assert(tick.price > 0)
    tick = coroutine.yield()
  end
end)

function render()
  assert(state.seen == 10, state.seen)
  return { widgets = { { type = "metric", label = "ticks", value = state.seen } } }
end
