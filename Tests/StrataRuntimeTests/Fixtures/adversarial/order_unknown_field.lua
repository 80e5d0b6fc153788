-- expect: runtime phase=tick message~=unknown field 'quantity'
-- why: misspelled fields are refused, not ignored.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = "buy", quantity = 1 }
end

function render()
  return { widgets = {} }
end
