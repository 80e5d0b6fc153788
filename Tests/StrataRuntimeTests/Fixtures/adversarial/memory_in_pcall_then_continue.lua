-- expect: memory_limit phase=init
-- why: after catching the memory error, the script releases everything and carries on quietly: still killed.

CONFIG_SCHEMA = {}

function init()
  local ok = pcall(function()
    local s = "x"
    while true do s = s .. s end
  end)
  local n = 0
  for i = 1, 10 do n = n + i end
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
