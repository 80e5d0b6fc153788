-- expect: runtime phase=init message~=attempt to index a nil value (global 'os')
-- why: os.exit would take the whole engine down; it must not be reachable.

CONFIG_SCHEMA = {}

function init()
  os.exit(0)
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
