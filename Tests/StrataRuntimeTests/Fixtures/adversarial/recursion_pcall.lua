-- expect: ok ticks=2
-- why: pcall(f) inside f until the C stack limit: the innermost pcall fails, every level returns, the script goes on.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local depth = 0
  local function f()
    depth = depth + 1
    return pcall(f)
  end
  f()
  assert(depth > 100)
end

function render()
  return { widgets = {} }
end
