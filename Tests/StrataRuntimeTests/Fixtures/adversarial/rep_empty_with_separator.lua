-- expect: runtime phase=tick message~=resulting string too large
-- why: the empty string repeated with a separator is all separators: refused up front.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local s = (""):rep(1e18, ",")
end

function render()
  return { widgets = {} }
end
