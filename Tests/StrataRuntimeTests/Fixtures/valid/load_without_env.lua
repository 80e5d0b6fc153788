-- expect: ok ticks=1
-- why: load without an environment gives the chunk the (sandboxed) globals, as in Lua: load("return math.pi")() works.

CONFIG_SCHEMA = {}

function init()
  local f = assert(load("return math.pi"))
  assert(f() == math.pi)
  local g = assert(load("return string.upper(...)", "=chunk", "t"))
  assert(g("x") == "X")
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
