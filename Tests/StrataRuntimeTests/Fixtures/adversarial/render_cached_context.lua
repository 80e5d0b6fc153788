-- expect: runtime phase=render message~=place_order is not allowed in render()
-- why: a trading context cached in init is still refused when it is called from render.

CONFIG_SCHEMA = {}

local trading

function init()
  trading = context
  return {}
end

function on_tick(tick)
end

function render()
  trading.place_order{ side = "buy", qty = 1 }
  return { widgets = {} }
end
