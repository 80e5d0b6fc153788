-- expect: memory_limit phase=init
-- why: load runs the parser in its own protected call, which catches the memory error and returns nil, msg: the cap must still be a kill.

CONFIG_SCHEMA = {}

function init()
  local source = string.rep("a=1;", 7000000)  -- 28 MB of source; parsing it needs more than the cap allows
  local f, err = load(source)
  assert(f == nil, "the chunk should not fit")
  return { err = err }
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
