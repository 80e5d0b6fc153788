-- expect: runtime phase=render message~=attempt to call a nil value (field 'place_order')
-- why: render() gets a context that can read but not trade: it has no place_order at all.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  context.place_order{ side = "buy", qty = 1 }
  return { widgets = {} }
end
