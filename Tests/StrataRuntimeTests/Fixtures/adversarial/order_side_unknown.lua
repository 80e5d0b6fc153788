-- expect: runtime phase=tick message~=bad argument #1 to 'place_order' (field 'side' must be "buy" or "sell", got "hold")
-- why: an unknown side is refused, naming the field.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = "hold", qty = 1 }
end

function render()
  return { widgets = {} }
end
