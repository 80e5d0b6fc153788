-- expect: cpu_limit phase=tick
-- why: infinite tail recursion never overflows the stack: only the deadline stops it.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local function again(n)
    return again(n + 1)
  end
  again(0)
end

function render()
  return { widgets = {} }
end
