-- expect: runtime phase=tick message~=bad argument #1 to 'place_order' (field 'qty' must be finite, got inf)
-- why: an infinite quantity is refused.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = "buy", qty = math.huge }
end

function render()
  return { widgets = {} }
end
