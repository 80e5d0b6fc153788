-- expect: runtime phase=tick message~=field 'qty' must be positive, got -0.0
-- why: negative zero is refused like zero.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = "buy", qty = -0.0 }
end

function render()
  return { widgets = {} }
end
