-- expect: memory_limit phase=init
-- why: a string that doubles each step reaches the cap in about 26 steps.

CONFIG_SCHEMA = {}

function init()
  local s = "x"
  while true do s = s .. s end
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
