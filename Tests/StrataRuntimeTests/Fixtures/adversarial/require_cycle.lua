-- expect: runtime phase=load message~=require cycle: cycle_a -> cycle_b -> cycle_a
-- why: two modules that require each other must fail the load with the chain, not recurse forever.

local a = require "cycle_a"

CONFIG_SCHEMA = {}
function init() return {} end
function on_tick(tick) end
function render() return { widgets = {} } end
