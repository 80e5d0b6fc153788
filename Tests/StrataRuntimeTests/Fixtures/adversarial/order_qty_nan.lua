-- expect: runtime phase=tick message~=bad argument #1 to 'place_order' (field 'qty' must be a number, got NaN)
-- why: NaN passes every comparison test the wrong way; it must be refused by name.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = "buy", qty = 0 / 0 }
end

function render()
  return { widgets = {} }
end
