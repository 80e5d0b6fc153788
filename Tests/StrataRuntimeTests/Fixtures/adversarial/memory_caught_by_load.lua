-- expect: memory_limit phase=init
-- why: load runs the parser in its own protected call, which catches the memory error and returns nil, msg: the cap must still be a kill (the state is filled to near its cap first, since load takes at most 64 KiB of source).

CONFIG_SCHEMA = {}

function init()
  local source = string.rep("a=1;", 15000)  -- 60 KB of source; parsing it needs a few hundred KB
  local ballast = string.rep("x", 64 * 1024 * 1024 - math.floor(collectgarbage("count") * 1024) - 150000)
  local f, err = load(source)
  assert(f == nil, "the chunk should not fit")
  return { err = err }
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
