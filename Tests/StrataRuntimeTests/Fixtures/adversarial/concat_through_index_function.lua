-- expect: cpu_limit phase=tick
-- why: table.concat over 50 million slots served by an __index function: every read is a call the kill hook sees.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local t = setmetatable({}, { __index = function() return "" end })
  table.concat(t, "", 1, 50000000)
end

function render()
  return { widgets = {} }
end
