-- expect: runtime phase=tick message~=resulting string too large
-- why: the separator counts too: a huge count with a separator is refused up front.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local s = ("x"):rep(1e9, ", ")
end

function render()
  return { widgets = {} }
end
