-- expect: ok ticks=2
-- why: Lua's own rep loops n times even for empty pieces; the bounded one returns "" at once.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  assert((""):rep(1e18) == "")
  assert((""):rep(math.maxinteger, "") == "")
  assert(string.rep("", math.maxinteger) == "")
  assert(("x"):rep(0) == "" and ("x"):rep(-1e18) == "" and ("x"):rep(math.mininteger, ",") == "")
end

function render()
  return { widgets = {} }
end
