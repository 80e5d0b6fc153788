-- clock — time labels the example strategies share (a module: `local clock = require "clock"`).
--
-- A module runs once per instance, in the same sandbox as the strategy that requires it, and
-- returns a value (here a table of functions). Saving this file reloads every strategy that
-- requires it; a save that does not load leaves them running on the old version.

local clock = {}

---The UTC minute of a timestamp, "YYYY-MM-DD hh:mm".
---@param ts number Unix seconds
---@return string
function clock.minute(ts)
  return time.format(ts, "%Y-%m-%d %H:%M")
end

---The UTC day of a timestamp, "YYYY-MM-DD".
---@param ts number Unix seconds
---@return string
function clock.day(ts)
  return time.format(ts, "%Y-%m-%d")
end

---Whether `a` and `b` fall in the same UTC week (weeks start on Monday).
---@param a number Unix seconds
---@param b number Unix seconds
---@return boolean
function clock.same_week(a, b)
  return time.week_start(a) == time.week_start(b)
end

return clock
