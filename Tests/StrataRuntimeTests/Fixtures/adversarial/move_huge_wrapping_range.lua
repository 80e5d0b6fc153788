-- expect: runtime phase=tick message~=destination wrap around
-- why: table.move({}, 1, math.maxinteger, 2) would wrap the destination index; refused before any loop.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  table.move({}, 1, math.maxinteger, 2)
end

function render()
  return { widgets = {} }
end
