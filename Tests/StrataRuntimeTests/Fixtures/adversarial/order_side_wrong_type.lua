-- expect: runtime phase=tick message~=field 'side' must be "buy" or "sell", got boolean
-- why: a boolean side is refused.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = true, qty = 1 }
end

function render()
  return { widgets = {} }
end
