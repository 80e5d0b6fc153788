-- expect: cpu_limit phase=tick
-- why: kill errors pass through any number of nested pcalls.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local function nest(depth)
    if depth == 0 then
      while true do end
    end
    while true do pcall(nest, depth - 1) end
  end
  nest(50)
end

function render()
  return { widgets = {} }
end
