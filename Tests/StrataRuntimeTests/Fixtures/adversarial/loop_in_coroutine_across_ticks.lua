-- expect: cpu_limit phase=tick ticks=8
-- why: a generator kept in state behaves for some ticks, then loops; it is killed inside the coroutine.

CONFIG_SCHEMA = {}

function init()
  return {
    gen = coroutine.wrap(function()
      for i = 1, 3 do coroutine.yield(i) end
      while true do end
    end),
  }
end

function on_tick(tick)
  state.last = state.gen()
end

function render()
  return { widgets = {} }
end
