-- expect: cpu_limit phase=tick
-- why: huge sets in every position a set can take (negated, ranges, quantified, %f frontier, gsub, gmatch, match): each must be charged by its length.

CONFIG_SCHEMA = {}

function init()
  local ranges = string.rep("a-a", 300000)
  return {
    patterns = {
      "[^" .. string.rep("c", 1000000) .. "]",
      "[" .. ranges .. "]+x",
      "%f[" .. ranges .. "]",
      "[" .. string.rep("%a", 300000) .. "]*y",
    },
    subject = string.rep("c", 1000000),
  }
end

function on_tick(tick)
  local subject = state.subject
  for _, p in ipairs(state.patterns) do
    string.find(subject, p)
    string.match(subject, p)
    string.gsub(subject, p, "")
    for _ in string.gmatch(subject, p) do end
  end
end

function render()
  return { widgets = {} }
end
