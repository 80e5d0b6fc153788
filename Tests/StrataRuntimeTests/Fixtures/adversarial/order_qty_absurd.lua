-- expect: runtime phase=tick message~=bad argument #1 to 'place_order' (field 'qty' is absurdly large
-- why: an absurd quantity (1e300) is refused by the host before any broker sees it.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = "buy", qty = 1e300 }
end

function render()
  return { widgets = {} }
end
