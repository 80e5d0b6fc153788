-- expect: memory_limit phase=tick ticks=40
-- why: state that grows by 4 MiB each tick reaches the cap after about 15 ticks: the cap is per state, not per call.

CONFIG_SCHEMA = {}

function init()
  return { base = ("x"):rep(1024):rep(4096), chunks = {} }
end

function on_tick(tick)
  state.chunks[#state.chunks + 1] = state.base .. tick.ts  -- a new 4 MiB string each tick
end

function render()
  return { widgets = {} }
end
