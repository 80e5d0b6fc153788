-- expect: runtime phase=load message~=require cycle: self_require -> self_require
-- why: a module that requires itself is the shortest cycle.

local me = require "self_require"

CONFIG_SCHEMA = {}
function init() return {} end
function on_tick(tick) end
function render() return { widgets = {} } end
