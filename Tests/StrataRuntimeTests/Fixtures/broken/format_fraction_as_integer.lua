-- expect: runtime phase=tick message~=number has no integer representation
-- why: %d with a fractional price.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  context.log(string.format("price %d", tick.price))
end

function render()
  return { widgets = {} }
end
