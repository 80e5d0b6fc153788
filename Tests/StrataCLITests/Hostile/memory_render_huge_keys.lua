-- live: runtime|quarantined
-- check: invalid_render|memory_limit|cpu_limit|runtime
-- render: invalid_render|memory_limit|cpu_limit|crashed
-- why: reading render()'s output built a path string per entry from its keys, after render's
-- deadline and outside the cap: 20 levels of 1 MB keys with 60 leaves each cost gigabytes of
-- paths. Paths must be built from bounded copies. render() runs only when someone looks, so the
-- suite asks for it; the next tick then reports that the host answered.

CONFIG_SCHEMA = {}

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.rendered then error("render attack answered: the host survived paths from 1 MB keys", 0) end
end

function render()
  state.rendered = true
  local base = string.rep("k", 1 << 20)
  local root = {}
  local level = root
  for depth = 1, 20 do
    local child = {}
    for leaf = 1, 60 do child["leaf" .. leaf] = leaf end
    level[base .. depth] = child
    level = child
  end
  return { widgets = { { type = "table", columns = { "a" }, rows = { root } } } }
end
