-- expect: cpu_limit phase=init
-- why: an endless loop in init() is stopped at the 1 s init deadline.

CONFIG_SCHEMA = {}

function init()
  local n = 0
  while true do n = n + 1 end
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
