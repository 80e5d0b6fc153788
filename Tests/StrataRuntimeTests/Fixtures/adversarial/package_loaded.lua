-- expect: runtime phase=tick message~=attempt to index a nil value (global 'package')
-- why: package.loaded holds the unprotected standard libraries (io, os, debug).

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local os = package.loaded.os
  os.remove("/tmp/x")
end

function render()
  return { widgets = {} }
end
