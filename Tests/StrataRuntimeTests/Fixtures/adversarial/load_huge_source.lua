-- expect: ok ticks=2
-- why: compiling a 12 MB chunk (2 million statements) would be one long C call (the parser has no hook): load() inside a script refuses chunks over 64 KiB before parsing, as nil, msg.

CONFIG_SCHEMA = {}

function init()
  return { source = ("a = 1\n"):rep(2000000) }
end

function on_tick(tick)
  local f, err = load(state.source, "=huge", "t", {})
  assert(f == nil and err:find("too large"), tostring(err))
end

function render()
  return { widgets = {} }
end
