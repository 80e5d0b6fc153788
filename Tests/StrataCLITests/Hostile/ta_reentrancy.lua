-- live: runtime|quarantined
-- check: runtime
-- why: `ta` methods must call no Lua code (no metamethod of an argument, no coercion), so no
-- script can run while an update is half done; and they must work the same from coroutines,
-- message handlers, __close handlers and __index metamethods. The script updates one object
-- from all of those at once and checks the result is what straight updates give. Indicators
-- are also kept in `state` in shapes snapshots must keep (shared, as keys, in cycles). It ends
-- itself: "neutralized: ..." (nothing to stop).

CONFIG_SCHEMA = {}

function init()
  local shared = ta.ema(4)
  local s = { n = 0, shared = shared, again = shared, keyed = {}, straight = ta.ema(4) }
  s.keyed[shared] = "by object"
  s.cycle = { object = shared }
  s.cycle.self = s.cycle
  return s
end

local sneaky = setmetatable({}, {
  __index = function() state.shared:update(1) return 1 end,
  __tostring = function() state.shared:update(2) return "2" end,
  __len = function() state.shared:update(3) return 3 end,
  __call = function() state.shared:update(4) return 4 end,
})

function on_tick(tick)
  state.n = state.n + 1
  local p, o = tick.price, state.shared
  -- Arguments with metamethods are refused before any of them could run.
  for _ = 1, 10 do
    if pcall(o.update, o, sneaky) then error("ATTACK SUCCEEDED: a table was taken as input", 0) end
  end
  -- From a coroutine, a message handler and a __close handler: one real update each.
  local co = coroutine.wrap(function(x) coroutine.yield(o:update(x)) end)
  co(p)
  xpcall(function() error("x") end, function() o:update(p) return "handled" end)
  do
    local _ <close> = setmetatable({}, { __close = function() o:update(p) end })
  end
  for _ = 1, 3 do state.straight:update(p) end
  if o:value() ~= state.straight:value() then error("ATTACK SUCCEEDED: reentrant updates diverged", 0) end
  if not rawequal(state.shared, state.again) or state.keyed[o] ~= "by object" or state.cycle.object ~= o then
    error("ATTACK SUCCEEDED: an indicator's identity changed", 0)
  end
  if state.n >= 30 then error("neutralized: updates from coroutines, handlers and metamethods were consistent", 0) end
end

function render()
  return { widgets = {} }
end
