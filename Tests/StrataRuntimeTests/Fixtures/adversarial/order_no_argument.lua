-- expect: runtime phase=tick message~=bad argument #1 to 'place_order' (table expected, got no value)
-- why: no argument at all.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order()
end

function render()
  return { widgets = {} }
end
