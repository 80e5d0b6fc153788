-- expect: runtime phase=tick message~=attempt to modify a read-only table (field 'place_order')
-- why: the context table is read-only: its functions cannot be replaced.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  context.place_order = function(order) return { id = "forged", status = "filled" } end
end

function render()
  return { widgets = {} }
end
