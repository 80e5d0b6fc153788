-- expect: ok ticks=3
-- why: metatables on the script's own tables (__index, __newindex, __call, comparisons, arithmetic, __len, __concat, __close, __tostring, __mode, __metatable) work normally.

CONFIG_SCHEMA = {}

local Vector = {}
Vector.__index = Vector
function Vector.new(x, y) return setmetatable({ x = x, y = y }, Vector) end
function Vector.__add(a, b) return Vector.new(a.x + b.x, a.y + b.y) end
function Vector.__unm(a) return Vector.new(-a.x, -a.y) end
function Vector.__eq(a, b) return a.x == b.x and a.y == b.y end
function Vector.__lt(a, b) return a:length() < b:length() end
function Vector.__le(a, b) return a:length() <= b:length() end
function Vector.__len(a) return 2 end
function Vector.__concat(a, b) return tostring(a) .. tostring(b) end
function Vector.__tostring(a) return "(" .. a.x .. "," .. a.y .. ")" end
function Vector.__call(a, k) return a.x * k end
function Vector:length() return math.sqrt(self.x ^ 2 + self.y ^ 2) end

local function check()
  local a, b = Vector.new(1, 2), Vector.new(3, 4)
  local c = a + b
  assert(c.x == 4 and c.y == 6 and (-a).x == -1)
  assert(a == Vector.new(1, 2) and a ~= b and a < b and a <= b and not (b < a))
  assert(#a == 2 and a(10) == 10 and tostring(a) == "(1,2)" and a .. b == "(1,2)(3,4)")
  assert(b:length() == 5)

  local defaults = setmetatable({}, { __index = function(_, k) return k .. "!" end })
  assert(defaults.hello == "hello!" and rawget(defaults, "hello") == nil)
  local writes = {}
  local logged = setmetatable({}, { __newindex = function(t, k, v) writes[#writes + 1] = k; rawset(t, k, v) end })
  logged.a = 1
  logged.a = 2
  assert(#writes == 1 and logged.a == 2)

  local locked = setmetatable({}, { __metatable = "locked" })
  assert(getmetatable(locked) == "locked" and not pcall(setmetatable, locked, {}))

  local weak = setmetatable({}, { __mode = "k" })
  weak[{}] = true

  local order = {}
  do
    local x <close> = setmetatable({}, { __close = function() order[#order + 1] = "x" end })
    local y <close> = setmetatable({}, { __close = function() order[#order + 1] = "y" end })
    local z <const> = 1
  end
  assert(order[1] == "y" and order[2] == "x")

  local proxy = setmetatable({}, { __pairs = function(t)
    return function(_, k) if not k then return 1, "one" end end, t, nil
  end })
  local seen = 0
  for k, v in pairs(proxy) do seen = seen + 1; assert(k == 1 and v == "one") end
  assert(seen == 1)

  local Base = { greet = function() return "base" end }
  local Derived = setmetatable({}, { __index = Base })
  local obj = setmetatable({}, { __index = Derived })
  assert(obj.greet() == "base")

  local list = { Vector.new(3, 4), Vector.new(0, 1), Vector.new(1, 1) }
  table.sort(list)
  assert(list[1].y == 1 and list[3].x == 3)
  assert(setmetatable({}, nil) and getmetatable(setmetatable({}, {})) ~= nil)
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
