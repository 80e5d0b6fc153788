-- expect: ok ticks=3
-- why: the metatable's own __index adds __gc (rawset) while the sandbox looks for it; with a raw lookup nothing is found and nothing is marked for finalization, so the never-ending finalizer (which also calls the host) never runs, not even when the state closes.

CONFIG_SCHEMA = {}

local function finalizer()
  print("finalizer ran")
  context.log("finalizer ran")
  while true do end
end

function init()
  return { keep = {} }
end

function on_tick(tick)
  local mt = setmetatable({}, { __index = function(t, key)
    if key == "__gc" then rawset(t, "__gc", finalizer) end
    return nil
  end })
  local object = setmetatable({}, mt)
  state.keep[#state.keep + 1] = object  -- alive until the state is closed
  local _ = mt.__gc                     -- now the metatable has __gc: too late to matter
end

function render()
  return { widgets = {} }
end
