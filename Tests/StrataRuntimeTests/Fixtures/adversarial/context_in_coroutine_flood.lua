-- expect: ok ticks=3
-- why: calling the context many times from inside a coroutine is legit and must neither corrupt nor crash the host.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  coroutine.wrap(function()
    local last
    for _ = 1, 30000 do
      last = context.get_price()
    end
    assert(last == tick.price)
  end)()
end

function render()
  return { widgets = {} }
end
