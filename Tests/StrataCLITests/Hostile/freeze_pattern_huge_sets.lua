-- live: cpu_limit|quarantined
-- check: cpu_limit
-- why: a character class of 400,000 items costs 400,000 steps per subject position; a matcher
-- that charges the whole set as one unit between deadline polls runs a find over a 1 MB subject
-- for hours in C code. The scan of a set must be charged by its length.

CONFIG_SCHEMA = {}

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  local set = "[" .. string.rep("%a", 400000) .. "]!"
  local subject = string.rep("9", 1000000)
  string.find(subject, set)
  string.gsub(subject, "%f" .. set, "")
  error("neutralized: the huge sets were matched in time")
end

function render()
  return { widgets = {} }
end
