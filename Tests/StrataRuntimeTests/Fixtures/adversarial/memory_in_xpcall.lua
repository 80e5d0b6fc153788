-- expect: memory_limit phase=init
-- why: xpcall catches the memory error like pcall; the kill still propagates.

CONFIG_SCHEMA = {}

function init()
  xpcall(function()
    local s = "x"
    while true do s = s .. s end
  end, function(m) return m end)
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
