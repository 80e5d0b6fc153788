-- expect: runtime phase=load message~=attempt to call a nil value (global 'require')
-- why: the usual `local x = require "x"` at the top of a file must fail cleanly at load.

local json = require("cjson")

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
