-- expect: runtime phase=tick message~=malformed pattern
-- why: a pattern with an unclosed set.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local ok = ("BTC/USD"):match("[A-Z+/")
end

function render()
  return { widgets = {} }
end
