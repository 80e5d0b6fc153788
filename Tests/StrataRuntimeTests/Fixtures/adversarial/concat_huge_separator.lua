-- expect: runtime phase=tick message~=invalid value (at index 1)
-- why: a 1 MB separator over 100,000 empty slots: the first missing element stops it before any separator is copied.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local sep = ("x"):rep(1000):rep(1000)
  table.concat({}, sep, 1, 100000)
end

function render()
  return { widgets = {} }
end
