-- expect: cpu_limit phase=tick
-- why: compiling a 12 MB chunk (2 million statements) is one long C call (the parser has no hook): it must still end near the tick deadline.

CONFIG_SCHEMA = {}

function init()
  return { source = ("a = 1\n"):rep(2000000) }
end

function on_tick(tick)
  local f = load(state.source, "=huge", "t", {})
end

function render()
  return { widgets = {} }
end
