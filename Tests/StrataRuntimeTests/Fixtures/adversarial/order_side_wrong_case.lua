-- expect: runtime phase=tick message~=field 'side' must be "buy" or "sell", got "BUY"
-- why: sides are exact: "BUY" is not "buy".

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = "BUY", qty = 1 }
end

function render()
  return { widgets = {} }
end
