-- expect: runtime phase=tick message~=field 'qty' must be finite
-- why: a quantity that overflowed to inf through arithmetic (2^1024) is refused.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = "buy", qty = 2.0 ^ 1023 * 2 }
end

function render()
  return { widgets = {} }
end
