-- expect: syntax phase=load message~='end' expected
-- why: a block left open; Lua points at the end of the file and names the opening line.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  if tick.price > 100 then
    context.log("high")
end

function render()
  return { widgets = {} }
end
