-- expect: runtime phase=tick message~=__gc metamethods are not allowed in the sandbox
-- why: a finalizer that calls host functions (print, context.log) would run while the state closes, after the instance behind them is gone; the sandbox refuses __gc outright (and host functions refuse to run outside a call).

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  state.object = setmetatable({}, { __gc = function()
    print("closing")
    context.log("closing")
  end })
end

function render()
  return { widgets = {} }
end
