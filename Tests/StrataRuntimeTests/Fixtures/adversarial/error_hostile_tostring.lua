-- expect: runtime phase=tick message~=(error object is a table value)
-- why: an error object whose __tostring and __index loop forever: the host describes it without running any metamethod.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local function forever() while true do end end
  error(setmetatable({}, { __tostring = forever, __index = forever, __name = "Trap", __concat = forever, __eq = forever }))
end

function render()
  return { widgets = {} }
end
