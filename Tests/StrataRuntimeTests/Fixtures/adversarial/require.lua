-- expect: runtime phase=tick message~=a module can only be loaded while the strategy loads
-- why: require loads only lib/ modules, only at load time (they are part of the version); never io or C libraries.

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
