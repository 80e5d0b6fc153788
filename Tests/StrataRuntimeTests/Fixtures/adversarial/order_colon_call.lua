-- expect: runtime phase=tick message~=bad argument #1 to 'place_order'
-- why: context:place_order{...} passes the context itself as the order: a clear bad-argument error.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context:place_order{ side = "buy", qty = 1 }
end

function render()
  return { widgets = {} }
end
