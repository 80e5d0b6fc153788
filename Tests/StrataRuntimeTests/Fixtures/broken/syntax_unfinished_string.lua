-- expect: syntax phase=load line=6 message~=unfinished string
-- why: an unclosed string literal.

CONFIG_SCHEMA = {}

local label = "price

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
