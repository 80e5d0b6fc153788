-- expect: runtime phase=tick message~=bad argument #1 to 'cancel_order' (order id (string) expected, got table)
-- why: cancel_order checks its argument like place_order.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.cancel_order({ id = "o1" })
end

function render()
  return { widgets = {} }
end
