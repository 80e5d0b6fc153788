-- expect: ok ticks=5
-- why: a strategy and a module it requires can both require `shared.util`; each module runs once per state and both get the same table.

local stats = require "shared.stats"
local util = require "shared.util"
assert(stats.mean == util.mean and require("shared.stats") == stats and stats.loads == 1)
assert(require("shared.util") == util)

CONFIG_SCHEMA = {}
function init() return { prices = {} } end
function on_tick(tick)
  table.insert(state.prices, tick.price)
  assert(stats.mean(state.prices) > 0)
  assert(time.day_start(tick.ts) <= tick.ts)
end
function render() return { widgets = { { type = "text", text = time.format(context.now(), "%F %T") } } } end
