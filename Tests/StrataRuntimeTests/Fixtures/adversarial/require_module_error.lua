-- expect: runtime phase=load message~=error in module 'module_error' (required by require_module_error): lib/module_error.lua:2: this module refuses to load
-- why: a module that raises at its top level fails the strategy's load, naming the module and the chain.

local m = require "module_error"

CONFIG_SCHEMA = {}
function init() return {} end
function on_tick(tick) end
function render() return { widgets = {} } end
