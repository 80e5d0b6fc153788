-- live: runtime|quarantined
-- check: runtime
-- why: the time library given NaN floods, infinities, huge years, megabyte formats, a lone '%'
-- and unknown conversions answers with clear errors, never reads the host's clock; then a flood
-- of valid calls is only ordinary work. Then it ends itself.

CONFIG_SCHEMA = {}

function init()
  return { n = 0 }
end

local function refused(f, ...)
  local ok, err = pcall(f, ...)
  if ok then error("ATTACK SUCCEEDED: accepted " .. tostring((...))) end
  return err
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  local nan = 0 / 0
  for _ = 1, 1000 do
    refused(time.format, nan)
    refused(time.parts, math.huge)
    refused(time.day_start, -math.huge)
  end
  refused(time.format, 1e308)
  refused(time.format, math.mininteger)
  refused(time.format, 0, ("%Y"):rep(512 * 1024))
  refused(time.format, 0, "%")
  refused(time.format, 0, "%q%")
  refused(time.make, { year = 1e300, month = 1 })
  assert(time.parse(("9"):rep(1024 * 1024)) == nil)
  for i = 1, 2000 do
    time.format(i * 86400.5, "%A %B %d %Y %H:%M:%S.%L %j")
  end
  if time.now or time.clock or os then error("ATTACK SUCCEEDED: a clock is reachable") end
  error("neutralized: every hostile time call was refused")
end

function render()
  return { widgets = {} }
end
