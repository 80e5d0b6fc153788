-- expect: runtime phase=tick message~=chain too long
-- why: __index tables that point at each other form a loop; Lua bounds the chain instead of spinning.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local a, b = {}, {}
  setmetatable(a, { __index = b })
  setmetatable(b, { __index = a })
  local _ = a.missing
end

function render()
  return { widgets = {} }
end
