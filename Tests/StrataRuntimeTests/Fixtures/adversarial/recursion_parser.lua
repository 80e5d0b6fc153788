-- expect: runtime phase=tick message~=stack overflow
-- why: load of an expression nested 100,000 deep: the parser's recursion is bounded by Lua's C-call limit.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local source = "return " .. ("("):rep(100000) .. "1" .. (")"):rep(100000)
  assert(load(source))
end

function render()
  return { widgets = {} }
end
