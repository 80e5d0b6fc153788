-- expect: ok ticks=2
-- why: CONFIG_SCHEMA and its fields carry metamethods that loop forever; the schema is read raw, so none of them runs.

local function forever() while true do end end
local hostile = { __index = forever, __pairs = forever, __len = forever, __newindex = forever }

CONFIG_SCHEMA = setmetatable({
  qty = setmetatable({ type = "float", default = 1, min = 0.001 }, hostile),
}, hostile)

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
