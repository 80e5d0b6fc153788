-- expect: runtime|cpu_limit phase=init
-- why: plain Lua recursion grows the Lua stack (not the C stack) to its limit of a million slots: a stack overflow error, or the deadline first on a slow machine.

CONFIG_SCHEMA = {}

function init()
  local function f(n)
    return 1 + f(n + 1)
  end
  f(1)
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
