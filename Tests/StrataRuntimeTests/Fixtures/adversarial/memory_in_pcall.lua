-- expect: memory_limit phase=init
-- why: the memory error is caught by pcall, but under the cap it is a kill: the script cannot go on.

CONFIG_SCHEMA = {}

function init()
  local keep = {}
  while true do
    pcall(function()
      for i = 1, math.maxinteger do keep[#keep + 1] = { i } end
    end)
  end
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
