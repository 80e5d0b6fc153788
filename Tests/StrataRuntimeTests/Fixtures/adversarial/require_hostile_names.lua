-- expect: ok ticks=2
-- why: module names with path tricks, absolute paths, NUL bytes or megabytes are refused with a clear error, never read; a second require of a failed module fails again the same way (no false cycle).

local hostile = { "../secret", "/etc/passwd", "lib/deep", "deep/../../x", "a..b", ".deep", "deep.", "", "x\0y",
                  "C:\\x", "deep lua", ("a"):rep(1000000), "~/x", "deep.lua" }
for _, name in ipairs(hostile) do
  local ok, err = pcall(require, name)
  assert(not ok, "require '" .. name:sub(1, 30) .. "' loaded")
  assert(err:find("invalid module name", 1, true) or err:find("not found", 1, true), err)
  assert(#err < 1000, "the error echoes the whole name")
end
for _ = 1, 2 do
  local ok, err = pcall(require, "module_error")
  assert(not ok and err:find("error in module 'module_error'", 1, true), err)
end
assert(not pcall(require, 42) and not pcall(require) and not pcall(require, {}))
local big = require "module_huge_string"
assert(#big == 1 << 20 and require "module_huge_string" == big)
local deep = require "deep"

CONFIG_SCHEMA = {}
function init() return {} end
function on_tick(tick)
  assert(require "deep" == deep, "the cache is per state")
  local ok, err = pcall(require, "cycle_a")
  assert(not ok and err:find("can only be loaded while the strategy loads", 1, true), err)
end
function render() return { widgets = {} } end
