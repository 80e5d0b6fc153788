-- expect: ok ticks=2
-- why: the same hostile object raised and caught by the script itself is just a value.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local ok, err = pcall(error, setmetatable({}, { __tostring = function() error("nested") end }))
  assert(not ok and type(err) == "table")
end

function render()
  return { widgets = {} }
end
