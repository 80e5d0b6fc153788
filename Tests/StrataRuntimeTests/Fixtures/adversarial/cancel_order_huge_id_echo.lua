-- expect: ok ticks=2
-- why: cancel_order(huge_id) used to echo the id back in its error ("no open order <id>"), a value the host pushed past the memory cap; keeping the echoes grew one state to gigabytes under a 64 MiB cap. The echo is bounded at the source.

CONFIG_SCHEMA = {}

function init()
  return { keep = {} }
end

function on_tick(tick)
  local id = string.rep("x", 4 * 1024 * 1024)
  for i = 1, 300 do
    local ok, err = context.cancel_order(id)
    assert(ok == nil)
    state.keep[#state.keep + 1] = err
    assert(#err < 1000, "the error echoed the whole id")
  end
end

function render()
  return { widgets = {} }
end
