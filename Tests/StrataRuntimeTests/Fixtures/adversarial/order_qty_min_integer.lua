-- expect: runtime phase=tick message~=field 'qty' must be positive
-- why: math.mininteger as a quantity is refused.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = "buy", qty = math.mininteger }
end

function render()
  return { widgets = {} }
end
