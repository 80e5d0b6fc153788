-- expect: runtime phase=tick message~=field 'qty' must be a number, got table
-- why: a table with __tonumber-like metamethods is not a number.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = "buy", qty = setmetatable({}, { __index = function() return 1 end, __tostring = function() return "1" end }) }
end

function render()
  return { widgets = {} }
end
