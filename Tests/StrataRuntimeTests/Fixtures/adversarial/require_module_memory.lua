-- expect: memory_limit phase=load
-- why: a module allocates under the memory cap of the state that required it; pcall cannot catch the kill.

local ok = pcall(require, "module_memory")

CONFIG_SCHEMA = {}
function init() return {} end
function on_tick(tick) end
function render() return { widgets = {} } end
