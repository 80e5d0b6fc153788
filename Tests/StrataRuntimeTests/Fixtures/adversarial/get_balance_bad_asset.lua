-- expect: runtime phase=tick message~=bad argument #1 to 'get_balance' (string expected, got nil)
-- why: get_balance checks its argument.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.get_balance(nil)
end

function render()
  return { widgets = {} }
end
