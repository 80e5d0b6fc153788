-- expect: ok ticks=3
-- why: small patterns (captures, anchors, classes, %b, %f, back-references, gsub with strings/functions/tables, gmatch) match as in Lua.

CONFIG_SCHEMA = {}

local function check()
  assert(("key=value"):match("(%w+)=(%w+)") == "key")
  local k, v = ("key=value"):match("(%w+)=(%w+)")
  assert(k == "key" and v == "value")
  assert(("hello world"):find("o w") == 5)
  assert(("  x"):find("^%s*x$") == 1 and ("ax"):find("^x") == nil)
  assert(("THE (quick) fox"):find("%((%a+)%)") == 5)
  assert(select(3, ("THE (quick) fox"):find("%((%a+)%)")) == "quick")
  assert(("f(a(b)c)d"):match("%b()") == "(a(b)c)")
  assert(("THE (quick) fox"):gsub("%f[%a]%a+", function(w) return w:lower() end) == "the (quick) fox")
  assert(("hello"):gsub("l", "L") == "heLLo")
  assert(select(2, ("hello"):gsub("l", "L")) == 2)
  assert(("hello"):gsub("l", "L", 1) == "heLlo")
  assert(("$name is $age"):gsub("%$(%w+)", { name = "Ann", age = 31 }) == "Ann is 31")
  assert(("$name $unknown"):gsub("%$(%w+)", { name = "Ann" }) == "Ann $unknown")
  assert(("abc"):gsub("%w", "%0%0") == "aabbcc")
  assert(("hello world"):gsub("(%w+) (%w+)", "%2 %1") == "world hello")
  assert(("abcabc"):find("(a)(b)c%1%2") == 1)
  assert(("[x]"):match("%[(.-)%]") == "x")
  assert(("a,b,,c"):gsub(",", ";") == "a;b;;c")
  local words = {}
  for w in ("one two  three"):gmatch("%a+") do words[#words + 1] = w end
  assert(#words == 3 and words[3] == "three")
  local pairs_seen = {}
  for key, val in ("a=1, b=2"):gmatch("(%w+)=(%w+)") do pairs_seen[key] = tonumber(val) end
  assert(pairs_seen.a == 1 and pairs_seen.b == 2)
  local positions = {}
  for pos in ("abc"):gmatch("()") do positions[#positions + 1] = pos end
  assert(#positions == 4 and positions[4] == 4)
  assert(("2024-01-15"):match("^(%d%d%d%d)-(%d%d)-(%d%d)$") == "2024")
  assert(("x = 10"):match("^(%a+)%s*=%s*(%d+)$") == "x")
  assert(("café"):match("[\xc3][\x80-\xbf]") == "é")
  assert(("a.b-c"):gsub("[%.%-]", "_") == "a_b_c")
  assert(("aaa"):match("a-b") == nil and ("aaab"):match("a-b") == "aaab")
  assert(("   "):match("^%s*$") == "   ")
  local ok, err = pcall(string.find, "x", "[a")
  assert(not ok and err:find("malformed pattern"), err)
  ok, err = pcall(string.gsub, "x", "x", "%2")
  assert(not ok and err:find("invalid capture index"), err)
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
