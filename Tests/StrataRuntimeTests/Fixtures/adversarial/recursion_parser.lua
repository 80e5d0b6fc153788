-- expect: runtime phase=tick message~=stack overflow
-- why: load of an expression nested 20,000 deep (40 KB, under load's size bound): the parser's recursion is bounded by Lua's C-call limit.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local source = "return " .. ("("):rep(20000) .. "1" .. (")"):rep(20000)
  assert(load(source))
end

function render()
  return { widgets = {} }
end
