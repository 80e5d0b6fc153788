-- expect: runtime phase=tick message~=attempt to call a nil value (global 'require')
-- why: require would load arbitrary modules (and C libraries) from the file system.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local io = require("io")
  io.write("escaped")
end

function render()
  return { widgets = {} }
end
