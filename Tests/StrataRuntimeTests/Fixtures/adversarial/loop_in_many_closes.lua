-- expect: cpu_limit phase=tick
-- why: many pending __close handlers, each looping, each killed in turn.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local function closer()
    return setmetatable({}, { __close = function() while true do end end })
  end
  local a <close> = closer()
  local b <close> = closer()
  local c <close> = closer()
  local d <close> = closer()
  while true do end
end

function render()
  return { widgets = {} }
end
