-- expect: runtime|cpu_limit phase=tick
-- why: a __call function that calls its own table: Lua-to-Lua recursion that ends at the stack limit (or the deadline).

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local t = setmetatable({}, { __call = function(self) return 1 + self() end })
  t()
end

function render()
  return { widgets = {} }
end
