-- expect: ok ticks=2
-- why: closures, upvalues, varargs, multiple returns, goto, integer/generic for, string coercion, long strings and comments parse and run.

CONFIG_SCHEMA = {}

local function counter()
  local n = 0
  return function() n = n + 1; return n end
end

local function varargs(...)
  local packed = { ... }
  return select("#", ...), #packed, (select(2, ...))
end

local function check()
  local c1, c2 = counter(), counter()
  c1(); c1()
  assert(c1() == 3 and c2() == 1)
  local n, len, second = varargs(1, nil, 3)
  assert(n == 3 and second == nil)
  local function multi() return 1, 2, 3 end
  local t = { multi(), multi() }
  assert(#t == 4)
  local s = 0
  for i = 1, 10 do
    if i % 2 == 0 then goto continue end
    s = s + i
    ::continue::
  end
  assert(s == 25)
  local long = [[
line one
line "two"]]
  assert(long:find("two") and not long:find("^\n"))
  local level = [==[a]]b]==]
  assert(level == "a]]b")
  --[[ a block
       comment ]]
  local x <const> = 10
  assert(x * 2 == 20)
  local a, b = 1, 2
  a, b = b, a
  assert(a == 2 and b == 1)
  local nested = { { 1, { 2, { 3 } } } }
  assert(nested[1][2][2][1] == 3)
  assert((function(...) return select("#", ...) end)() == 0)
  assert(#"\u{48}\x69\65\z
         " == 3)
end

check()

function init()
  check()
  return {}
end

function on_tick(tick)
  check()
end

function render()
  return { widgets = {} }
end
