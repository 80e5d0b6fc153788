-- expect: runtime phase=load message~=module 'cjson' not found in
-- why: a module that is not in the modules folder fails the load cleanly, naming the chain of requires.

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
