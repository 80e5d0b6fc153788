-- expect: cpu_limit phase=tick
-- why: a character class of a million items costs a million steps per subject position; the matcher charged it as one unit between polls, so a find over a 1 MB subject ran for hours. The scan of a set is charged by its length.

CONFIG_SCHEMA = {}

function init()
  return { set = "[" .. string.rep("a", 1000000) .. "b]", subject = string.rep("c", 1000000) }
end

function on_tick(tick)
  string.find(state.subject, state.set)
end

function render()
  return { widgets = {} }
end
