-- expect: memory_limit phase=render
-- why: render shares the state's memory cap.

CONFIG_SCHEMA = {}

function init()
  return { s = ("x"):rep(1024):rep(16 * 1024) }
end

function on_tick(tick)
end

function render()
  local s = state.s
  return { widgets = { { type = "text", text = s .. s .. s .. s .. s } } }
end
