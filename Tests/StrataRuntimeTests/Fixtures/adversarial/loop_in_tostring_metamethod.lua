-- expect: cpu_limit phase=tick
-- why: tostring runs __tostring from C; a loop there is stopped.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  tostring(setmetatable({}, { __tostring = function()
    while true do end
  end }))
end

function render()
  return { widgets = {} }
end
