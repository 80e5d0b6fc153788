-- expect: ok ticks=2
-- why: string.format's conversions (%d %i %c %x %X %o %e %f %g %a %q %s %%) and widths/precisions work.

CONFIG_SCHEMA = {}

local function check()
  assert(string.format("%5d|%-5d|%05d", 42, 42, 42) == "   42|42   |00042")
  assert(string.format("%i", -7) == "-7" and string.format("%c%c", 72, 105) == "Hi")
  assert(string.format("%x %X %o", 255, 255, 8) == "ff FF 10")
  assert(string.format("%.2f", 3.14159) == "3.14" and string.format("%8.3f", -1.5) == "  -1.500")
  assert(string.format("%e", 12345.678):find("^1%.234568e%+0*4$"))
  assert(string.format("%g %g", 1e20, 0.0001) == "1e+20 0.0001")
  assert(string.format("%a", 1.0):find("^0x1"))
  assert(string.format("%q", 'he said "hi"\n') == '"he said \\"hi\\"\\\n"')
  assert(string.format("%q", 1 / 0) == "1e9999" and string.format("%q", math.mininteger) == "0x8000000000000000")
  assert(string.format("%s %s %s", nil, true, { }):find("^nil true table: "))
  assert(string.format("%10s|%-10s|", "right", "left") == "     right|left      |")
  assert(string.format("%.3s", "abcdef") == "abc" and string.format("%5.1s|", "xyz") == "    x|")
  assert(string.format("100%%") == "100%")
  assert(string.format("%s", setmetatable({}, { __tostring = function() return "custom" end })) == "custom")
  assert(string.format("%d", 2^31) == "2147483648")
  local ok, err = pcall(string.format, "%d", "x")
  assert(not ok and err:find("number expected"), err)
  ok, err = pcall(string.format, "%y", 1)
  assert(not ok and err:find("invalid conversion"), err)
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
  return { widgets = { { type = "text", text = string.format("%.2f", 1.005) } } }
end
