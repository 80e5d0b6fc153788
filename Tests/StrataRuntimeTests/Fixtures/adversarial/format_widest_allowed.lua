-- expect: ok ticks=1
-- why: the widest legal conversions (%99.99f of 1e308, about 410 bytes each) stay small and fast.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local s = string.format(("%99.99f"):rep(100), table.unpack(setmetatable({}, { __index = function() return 1e308 end }), 1, 100))
  assert(#s > 40000)
  assert(#string.format("%-99s|", "x") == 100)
  local ok, err = pcall(string.format, "%100d", 1)
  assert(not ok and err:find("invalid conversion"), err)
end

function render()
  return { widgets = {} }
end
