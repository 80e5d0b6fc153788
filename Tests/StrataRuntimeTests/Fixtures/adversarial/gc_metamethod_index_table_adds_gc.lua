-- expect: ok ticks=3
-- why: a metatable whose metatable's __index is a proxy chain (the context, then a table that adds __gc from a __newindex): lookups of a metatable's fields must be raw, so none of that code runs during setmetatable and nothing gets a finalizer.

CONFIG_SCHEMA = {}

function init()
  return { keep = {} }
end

function on_tick(tick)
  local adds = setmetatable({}, { __index = function(t, key)
    if key == "__gc" then
      state.mt.__gc = function() context.log("finalizer") while true do end end
    end
  end })
  state.mt = setmetatable({}, { __index = adds, __newindex = function(t, k, v) rawset(t, k, v) end })
  state.keep[#state.keep + 1] = setmetatable({}, state.mt)
  state.keep[#state.keep + 1] = setmetatable({}, setmetatable({}, { __index = context }))
end

function render()
  return { widgets = {} }
end
