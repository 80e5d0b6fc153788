-- expect: cpu_limit phase=tick
-- why: a to-be-closed variable whose __close loops runs while the kill unwinds; it must be stopped too.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local guard <close> = setmetatable({}, { __close = function()
    while true do end
  end })
  while true do end
end

function render()
  return { widgets = {} }
end
