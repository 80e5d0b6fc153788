-- expect: ok ticks=1
-- why: output tables whose metamethods loop forever are read raw, so none of them runs.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  local function forever() while true do end end
  local hostile = { __index = forever, __pairs = forever, __len = forever, __tostring = forever, __eq = forever }
  local widget = setmetatable({ type = "metric", label = "x", value = 1 }, hostile)
  return setmetatable({ widgets = setmetatable({ widget }, hostile) }, hostile)
end
