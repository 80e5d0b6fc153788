-- expect: ok ticks=3
-- why: __gc added to a metatable after setmetatable never marks the object for finalization, so closing the state cannot hang.

CONFIG_SCHEMA = {}

function init()
  return { keep = {} }
end

function on_tick(tick)
  local mt = {}
  local object = setmetatable({}, mt)
  mt.__gc = function() while true do end end
  state.keep[#state.keep + 1] = object  -- alive until the state is closed
end

function render()
  return { widgets = {} }
end
