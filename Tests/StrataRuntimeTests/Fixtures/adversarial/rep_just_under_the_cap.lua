-- expect: cpu_limit|memory_limit phase=tick
-- why: a rep that fits the memory left is allowed, but builds tens of MiB byte by byte in C: the call must still end near its deadline.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local s = ("x"):rep(48 * 1024 * 1024)
  local t = ("y"):rep(8 * 1024 * 1024)
end

function render()
  return { widgets = {} }
end
