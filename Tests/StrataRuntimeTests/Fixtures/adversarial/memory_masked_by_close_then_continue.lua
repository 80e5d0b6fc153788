-- expect: memory_limit phase=init
-- why: after the masked memory error the script keeps allocating in a loop of pcalls, each hitting the cap again behind a raising `__close`: the first hit ends the call.

CONFIG_SCHEMA = {}

function init()
  for _ = 1, 100 do
    pcall(function()
      local guard <close> = setmetatable({}, { __close = function() error({}) end })
      local s = "x"
      while true do s = s .. s end
    end)
  end
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
