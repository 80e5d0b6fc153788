-- expect: invalid_render phase=render message~=bytes of text
-- why: a 9 MB string exceeds the reader's text bound (8 MiB).

CONFIG_SCHEMA = {}

function init()
  return { text = ("x"):rep(1024):rep(9 * 1024) }
end

function on_tick(tick)
end

function render()
  return { widgets = { { type = "text", text = state.text } } }
end
