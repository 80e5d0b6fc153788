-- expect: ok ticks=2
-- why: the utf8 library works on multi-byte text (market names, labels).

CONFIG_SCHEMA = {}

local function check()
  local s = "Zürich €"
  assert(#s == 11 and utf8.len(s) == 8)
  assert(utf8.char(90, 252, 8364) == "Zü€")
  assert(utf8.codepoint(s, 2) == 252)
  local points = {}
  for _, c in utf8.codes(s) do points[#points + 1] = c end
  assert(#points == 8 and points[8] == 8364)
  assert(utf8.offset(s, 3) == 4 and utf8.offset(s, -1) == 9)
  local chars = {}
  for ch in s:gmatch(utf8.charpattern) do chars[#chars + 1] = ch end
  assert(#chars == 8 and chars[2] == "ü")
  local len, bad = utf8.len("ab\xffcd")
  assert(len == nil and bad == 3)
  assert(utf8.char() == "" and utf8.len("") == 0)
  local ok = pcall(utf8.codepoint, "\xff")
  assert(not ok)
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
  return { widgets = { { type = "text", text = "Zürich €" } } }
end
