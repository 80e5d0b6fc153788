-- expect: ok ticks=5
-- why: overwriting context/config/state/print and the base functions changes only the script's own view, never the host's.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return { n = 0 }
end

function on_tick(tick)
  local real_state = state
  -- Forgeries: the host must not pick any of these up.
  context = { place_order = function() return { id = "forged" } end, get_price = function() return -1 end }
  config = { qty = 1e12 }
  print, warn, tostring, type, pairs, next, error, pcall, setmetatable =
    nil, nil, nil, nil, nil, nil, nil, nil, nil
  real_state.n = real_state.n + 1
end

function render()
  -- The host sets the render context before every render, whatever the script did.
  assert(context.place_order == nil, "render got the forged context")
  assert(context.get_price() > 0)
  return { widgets = { { type = "metric", label = "ticks", value = state.n } } }
end
