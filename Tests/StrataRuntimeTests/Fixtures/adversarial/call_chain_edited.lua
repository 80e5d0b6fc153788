-- expect: cpu_limit phase=tick
-- why: a __call chain made by editing a metatable after setmetatable escapes the setmetatable check; Lua 5.4.4 walks it in C with no hook, quadratically.
-- hangs: nothing in-process can interrupt it (fixed in Lua 5.4.6); `strata check` reports it as cpu_limit after its grace period and exits

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local mt = { __call = function() end }
  local t = setmetatable({}, mt)
  mt.__call = t
  t()
end

function render()
  return { widgets = {} }
end
