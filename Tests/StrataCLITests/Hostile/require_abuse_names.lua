-- live: runtime|quarantined
-- check: runtime
-- why: require with path tricks, absolute paths, NUL bytes, megabyte names, a cycle, a chain deeper
-- than the limit and a module that errors: each is refused with a clear error while the strategy
-- loads; a require of a new module at tick time is refused. Then it ends itself.

local hostile = { "../../etc/passwd", "/etc/passwd", "lib/abuse_error", "a..b", ".x", "x.", "", "x\0y",
                  "..", "deep/../../../x", ("a"):rep(4 * 1024 * 1024), "abuse_error.lua" }
for _, name in ipairs(hostile) do
  local ok, err = pcall(require, name)
  if ok then error("ATTACK SUCCEEDED: require '" .. name:sub(1, 20) .. "' loaded a module") end
end
local function expect_error(name, fragment)
  local ok, err = pcall(require, name)
  if ok then error("ATTACK SUCCEEDED: require '" .. name .. "' loaded") end
  assert(tostring(err):find(fragment, 1, true), tostring(err))
end
expect_error("abuse_cycle_a", "require cycle: abuse_cycle_a -> abuse_cycle_b -> abuse_cycle_a")
expect_error("deep.d01", "require nested too deeply")
expect_error("abuse_error", "error in module 'abuse_error'")
expect_error("abuse_error", "error in module 'abuse_error'")

CONFIG_SCHEMA = {}

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  local ok = pcall(require, "abuse_value")
  if ok then error("ATTACK SUCCEEDED: a new module loaded at tick time") end
  error("neutralized: every hostile require was refused")
end

function render()
  return { widgets = {} }
end
