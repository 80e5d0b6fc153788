-- live: runtime|crashed|quarantined
-- check: runtime|crashed
-- why: a finalizer that calls host functions (context.log, print, place_order) runs while the
-- state closes, after the instance behind them is gone: Lua 5.4.4 then aborts on an unowned
-- reference. The sandbox refuses __gc outright, so setmetatable raises.

CONFIG_SCHEMA = {}

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  state.bomb = setmetatable({}, { __gc = function()
    print("finalizer at close")
    context.log("finalizer at close")
    context.place_order{ side = "buy", qty = 1 }
  end })
  -- Still here: the finalizer is armed, and failing now closes the state, which runs it.
  error("finalizer armed: closing this state runs host calls")
end

function render()
  return { widgets = {} }
end
