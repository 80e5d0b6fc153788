-- expect: ok ticks=5
-- why: traps on the globals table (__index/__newindex that raise or loop forever) must never fire in host code (raw access only).

CONFIG_SCHEMA = {}

local function trap(_, key)
  if key == "loop_forever" then
    while true do end
  end
  error("host code touched global '" .. tostring(key) .. "' through a metamethod", 0)
end

-- Installed while the chunk runs: the loader then looks up CONFIG_SCHEMA, init, on_tick, render
-- and the optional on_config/on_reload, which are missing and would hit __index.
setmetatable(_G, { __index = trap, __newindex = trap })

rawset(_G, "init", function()
  return { n = 0 }
end)

rawset(_G, "on_tick", function(tick)
  state.n = state.n + 1  -- state and context were installed raw by the host
  assert(context.get_price() == tick.price)
end)

rawset(_G, "render", function()
  return { widgets = { { type = "metric", label = "ticks", value = state.n } } }
end)
