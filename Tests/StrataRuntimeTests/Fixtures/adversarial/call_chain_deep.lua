-- expect: runtime phase=init message~=__call must be a function in the sandbox
-- why: 100,000 distinct callable tables chained by __call and ending in a function: one call walks the chain in C, quadratically.

CONFIG_SCHEMA = {}

local head

function init()
  head = function() return 1 end
  for _ = 1, 100000 do head = setmetatable({}, { __call = head }) end
  return {}
end

function on_tick(tick)
  head()
end

function render()
  return { widgets = {} }
end
