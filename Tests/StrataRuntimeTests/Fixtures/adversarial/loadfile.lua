-- expect: runtime phase=tick message~=attempt to call a nil value (global 'loadfile')
-- why: loadfile reads code (text or binary) from the file system.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local f = loadfile("/etc/passwd", "bt")
end

function render()
  return { widgets = {} }
end
