-- Leaf module: plain helpers.
local util = {}
function util.mean(values)
  local sum = 0
  for _, v in ipairs(values) do sum = sum + v end
  return #values > 0 and sum / #values or nil
end
return util
