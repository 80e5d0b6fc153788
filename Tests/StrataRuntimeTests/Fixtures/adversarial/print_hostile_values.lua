-- expect: ok ticks=2
-- why: print, warn and context.log describe tables without running metamethods (a __tostring that loops or errors never fires).

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local function forever() while true do end end
  local hostile = setmetatable({}, { __tostring = forever, __name = "Trap", __index = forever })
  print(hostile, nil, 1.5, true, hostile)
  warn("careful: ", hostile)
  warn("@on")
  context.log(hostile)
  context.log(nil)
  context.log(setmetatable({}, { __tostring = function() error("boom") end }))
end

function render()
  return { widgets = {} }
end
