-- expect: ok ticks=3
-- why: the math library works (including random numbers, which a strategy may use for sampling).

CONFIG_SCHEMA = {}

local function near(a, b) return math.abs(a - b) < 1e-12 end

local function check()
  assert(math.floor(3.7) == 3 and math.ceil(3.2) == 4 and math.floor(-3.5) == -4)
  assert(math.type(math.floor(3.7)) == "integer")
  assert(math.max(1, 5, 3) == 5 and math.min(4, 2, 8) == 2)
  assert(math.abs(-7) == 7 and math.abs(math.mininteger) == math.mininteger)
  assert(near(math.sqrt(2) ^ 2, 2) and near(math.exp(math.log(5)), 5))
  assert(near(math.sin(math.pi / 2), 1) and near(math.cos(0), 1) and near(math.atan(1, 1), math.pi / 4))
  assert(near(math.log(8, 2), 3) and near(math.log(100, 10), 2))
  assert(math.fmod(7, 3) == 1 and math.fmod(-7, 3) == -1 and math.fmod(7, -3) == 1)
  assert(select(2, math.modf(3.25)) == 0.25 and math.modf(-3.25) == -3)
  assert(math.tointeger(3.0) == 3 and math.tointeger(3.5) == nil)
  assert(math.ult(1, -1) and not math.ult(-1, 1))
  assert(math.huge > 1e308 and -math.huge < -1e308)
  assert(math.maxinteger + 1 == math.mininteger)
  math.randomseed(42)
  local r = math.random()
  assert(r >= 0 and r < 1)
  local d = math.random(6)
  assert(d >= 1 and d <= 6 and math.type(d) == "integer")
  local e = math.random(-3, 3)
  assert(e >= -3 and e <= 3)
  local ok, err = pcall(math.random, 0)
  assert(ok or err:find("interval is empty"))
  assert(0 / 0 ~= 0 / 0)
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
