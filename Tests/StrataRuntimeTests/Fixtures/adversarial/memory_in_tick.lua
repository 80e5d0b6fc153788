-- expect: memory_limit phase=tick
-- why: a 16 MiB string (made in init) concatenated five times over in on_tick: one 80 MiB allocation the cap refuses.

CONFIG_SCHEMA = {}

function init()
  return { s = ("x"):rep(1024):rep(16 * 1024) }
end

function on_tick(tick)
  local s = state.s
  state.t = s .. s .. s .. s .. s
end

function render()
  return { widgets = {} }
end
