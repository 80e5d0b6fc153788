-- expect: runtime phase=tick message~=bad argument #1 to 'place_order' (field 'qty' is too small (subnormal))
-- why: a subnormal quantity (5e-324) is refused.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = "buy", qty = 5e-324 }
end

function render()
  return { widgets = {} }
end
