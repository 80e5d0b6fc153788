-- expect: runtime phase=tick message~=bad argument #1 to 'place_order' (table expected, got string)
-- why: positional arguments instead of a table are refused.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order("buy", 1)
end

function render()
  return { widgets = {} }
end
