-- expect: ok ticks=3
-- why: the string library (through the bounded wrappers and the locked metatable) behaves exactly like Lua's.

CONFIG_SCHEMA = {}

local function check()
  local s = "Hello, Strata"
  assert(s:upper() == "HELLO, STRATA" and s:lower() == "hello, strata")
  assert(s:len() == 13 and #s == 13)
  assert(s:sub(1, 5) == "Hello" and s:sub(-6) == "Strata" and s:sub(100) == "")
  assert(s:byte(1) == 72 and string.char(72, 105) == "Hi")
  assert(select("#", s:byte(1, -1)) == 13)
  assert(s:reverse() == "atartS ,olleH")
  assert(("ab"):rep(3) == "ababab" and ("ab"):rep(3, "-") == "ab-ab-ab")
  assert(("x"):rep(0) == "" and ("x"):rep(1, ",") == "x")
  assert(s:find("Strata") == 8 and s:find("o", 6) == nil and s:find(".", 1, true) == nil)
  assert(("a.b"):find(".", 1, true) == 2)
  assert(tostring(12) .. "" == "12" and ("%d items"):format(3) == "3 items")
  assert(("  trim me  "):match("^%s*(.-)%s*$") == "trim me")
  local packed = string.pack("<i4 d s1", 7, 2.5, "hi")
  local a, b, c = string.unpack("<i4 d s1", packed)
  assert(a == 7 and b == 2.5 and c == "hi" and string.packsize("<i4 d") == 12)
  assert(("abc"):upper():lower():rep(2) == "abcabc")
  assert(("%q"):format("a\nb\0") == '"a\\\nb\\0"')
  assert(string.len("\0\0") == 2)
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
  check()
  return { widgets = { { type = "text", text = ("ok"):upper() } } }
end
