-- expect: runtime phase=tick message~=too many orders in one call (limit 100)
-- why: catching the limit error and retrying does not reset the per-call count.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  local placed = 0
  for i = 1, 1000 do
    if pcall(context.place_order, { side = "buy", qty = 0.001 }) then placed = placed + 1 end
  end
  assert(placed == 100, placed)
  context.place_order{ side = "buy", qty = 0.001 }
end

function render()
  return { widgets = {} }
end
