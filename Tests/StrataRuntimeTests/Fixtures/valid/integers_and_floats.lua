-- expect: ok ticks=2
-- why: Lua 5.4's integer/float subtypes, division, wraparound, coercions and conversions hold inside the sandbox.

CONFIG_SCHEMA = {}

local function check()
  assert(math.type(1) == "integer" and math.type(1.0) == "float" and math.type("1") == nil)
  assert(1 == 1.0 and 3 // 2 == 1 and 3 / 2 == 1.5 and -7 // 2 == -4 and 7 % -3 == -2)
  assert(math.type(3 // 2) == "integer" and math.type(3.0 // 2) == "float" and math.type(2 ^ 2) == "float")
  assert(7 // 0.0 == math.huge and -7 // 0.0 == -math.huge)
  assert(not pcall(function() return 1 // 0 end) and not pcall(function() return 1 % 0 end))
  assert(math.maxinteger + 1 == math.mininteger and math.mininteger - 1 == math.maxinteger)
  assert(math.maxinteger * 2 == -2)
  assert(2 ^ 53 == 2 ^ 53 + 1.0 and (1 << 62) * 2 == math.mininteger)
  assert("10" + 1 == 11 and math.type("10" + 1) == "integer" and "3.5" * 2 == 7.0)
  assert(10 .. 20 == "1020" and 1.5 .. "" == "1.5" and 1e15 .. "" == "1e+15" and 2^63 .. "" == "9.2233720368548e+18")
  assert(tostring(3.0) == "3.0" and tostring(-0.0) == "-0.0" and tostring(1 / 0) == "inf")
  assert(tonumber("0x10") == 16 and tonumber("10", 2) == 2 and tonumber("z", 36) == 35 and tonumber("1e2") == 100.0)
  assert(tonumber("  12  ") == 12 and tonumber("12a") == nil and tonumber("") == nil)
  assert(string.format("%d", 3.0) == "3" and not pcall(string.format, "%d", 3.5))
  assert(3 | 5 == 7 and 3 & 5 == 1 and 3 ~ 5 == 6 and ~0 == -1 and 1 << 63 == math.mininteger and -1 >> 63 == 1)
  assert(math.tointeger("8") == nil or math.tointeger("8") == 8)
  assert(0.1 + 0.2 ~= 0.3 and math.abs(0.1 + 0.2 - 0.3) < 1e-15)
  local t = {}
  t[1.0] = "float key"
  assert(t[1] == "float key")
  t[2^53] = "big"
  assert(t[math.tointeger(2^53)] == "big")
  for i = 3, 1, -1 do assert(math.type(i) == "integer") end
  for x = 0.5, 1.5 do assert(math.type(x) == "float") end
  local count = 0
  for _ = math.maxinteger - 2, math.maxinteger do count = count + 1 end
  assert(count == 3)
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
