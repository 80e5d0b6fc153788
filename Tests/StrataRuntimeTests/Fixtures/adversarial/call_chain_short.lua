-- expect: runtime phase=init message~=__call must be a function in the sandbox
-- why: tables as __call values are refused (a chain of them costs Lua 5.4.4 quadratic C time); callable objects use a function __call.

CONFIG_SCHEMA = {}

local callable

function init()
  callable = function(...) return select("#", ...) end
  for _ = 1, 10 do callable = setmetatable({}, { __call = callable }) end
  return {}
end

function on_tick(tick)
  -- Each link passes the table it was called on as an extra first argument.
  assert(callable(1, 2) == 12)
end

function render()
  return { widgets = {} }
end
