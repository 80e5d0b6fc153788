-- expect: ok ticks=5
-- why: a strategy may return a table of its definitions instead of setting globals; locals stay private.

local M = {}

M.CONFIG_SCHEMA = { window = { type = "integer", default = 3, min = 1 } }

local function mean(list)
  local sum = 0
  for _, v in ipairs(list) do sum = sum + v end
  return #list > 0 and sum / #list or 0
end

function M.init()
  return { window = {}, mean = 0 }
end

function M.on_tick(tick)
  local w = state.window
  w[#w + 1] = tick.price
  if #w > config.window then table.remove(w, 1) end
  state.mean = mean(w)
end

function M.render()
  return { widgets = { { type = "metric", label = "mean", value = state.mean } } }
end

return M
