-- expect: memory_limit phase=init
-- why: 64 references to one 2 MiB string concatenate to 128 MiB: the allocator stops it at the 64 MiB cap.

CONFIG_SCHEMA = {}

function init()
  local chunk = ("x"):rep(1024):rep(2048)
  local parts = {}
  for i = 1, 64 do parts[i] = chunk end
  return { all = table.concat(parts) }
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
