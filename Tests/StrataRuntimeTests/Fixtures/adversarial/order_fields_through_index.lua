-- expect: runtime phase=tick message~=field 'side' must be "buy" or "sell", got nil
-- why: the order table is read raw: fields served by __index are not seen (no script code runs inside the host).

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order(setmetatable({}, { __index = { side = "buy", qty = 1 } }))
end

function render()
  return { widgets = {} }
end
