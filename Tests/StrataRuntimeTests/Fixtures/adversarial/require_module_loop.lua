-- expect: cpu_limit phase=load
-- why: a module runs under the deadline of the load that required it.

local m = require "module_loop"

CONFIG_SCHEMA = {}
function init() return {} end
function on_tick(tick) end
function render() return { widgets = {} } end
