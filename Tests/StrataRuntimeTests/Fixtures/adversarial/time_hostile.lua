-- expect: ok ticks=3
-- why: time functions given NaN, infinities, huge years, megabyte formats, a lone '%' or unknown conversions raise clear errors (or return nil, err); they never read the host's clock.

local function refused(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "accepted: " .. pattern)
  assert(err:find(pattern, 1, true), err)
  assert(#err < 400, "the error echoes its input")
end

CONFIG_SCHEMA = {}
function init() return {} end
function on_tick(tick)
  for _, ts in ipairs({ 0 / 0, -(0 / 0), math.huge, -math.huge, 1e300, -1e300, math.maxinteger, math.mininteger, 2 ^ 63 }) do
    refused("bad argument #1", time.format, ts)
    refused("bad argument #1", time.parts, ts)
    refused("bad argument #1", time.week_start, ts)
  end
  refused("format too long", time.format, 0, ("%Y%m%d%H%M%S%A%B"):rep(65536))
  refused("format ends with a lone '%'", time.format, 0, "%Y%")
  refused("unknown conversion", time.format, 0, "%n")
  refused("unknown conversion", time.format, 0, "%" .. string.char(255))
  refused("format too long", time.parse, "2024-01-01", ("%Y"):rep(1000))
  refused("unknown field", time.make, { year = 2024, month = 1, [true] = 1 })
  refused("must be an integer", time.make, { year = 2024, month = 1, day = 0 / 0 })
  refused("out of range", time.make, { year = math.maxinteger, month = 1 })
  local mt = setmetatable({}, { __index = function() error("ATTACK SUCCEEDED: make ran a metamethod") end })
  refused("field 'year' is required", time.make, mt)
  assert(time.parse(("2024-01-01"):rep(100000)) == nil)
  assert(time.parse("2024-01-01\0") == nil)
  local widest = time.format(0, ("%A"):rep(128))
  assert(#widest == 8 * 128, #widest)
  assert(time.format(-62135596800, "%Y") == "0001")
end
function render() return { widgets = {} } end
