-- expect: cpu_limit phase=tick
-- why: a loop that swallows every error (the kill included) and retries must still stop.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local attempts = 0
  while true do
    local ok, err = pcall(function()
      for i = 1, math.maxinteger do end
    end)
    attempts = attempts + 1
  end
end

function render()
  return { widgets = {} }
end
