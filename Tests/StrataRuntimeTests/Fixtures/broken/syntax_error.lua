-- expect: syntax phase=load line=11 message~=unexpected symbol near '=='
-- why: the most common mistake: a typo that does not parse, reported with its line.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local last_price == tick.price
end

function render()
  return { widgets = {} }
end
