-- expect: runtime phase=tick message~=attempt to call a nil value (global 'dofile')
-- why: dofile runs code from the file system.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  dofile("/etc/passwd")
end

function render()
  return { widgets = {} }
end
