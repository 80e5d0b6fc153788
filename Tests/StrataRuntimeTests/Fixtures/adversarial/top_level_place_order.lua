-- expect: runtime phase=load message~=place_order is not allowed in the chunk's top level
-- why: loading a script (also for validation, on every save) must never trade.

CONFIG_SCHEMA = {}

context.place_order{ side = "buy", qty = 1 }

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
