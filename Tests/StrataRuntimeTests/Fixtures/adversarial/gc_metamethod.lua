-- expect: runtime phase=tick message~=__gc metamethods are not allowed in the sandbox
-- why: finalizers run with hooks off and at close, where no deadline can stop a loop in them.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  setmetatable({}, { __gc = function() while true do end end })
end

function render()
  return { widgets = {} }
end
