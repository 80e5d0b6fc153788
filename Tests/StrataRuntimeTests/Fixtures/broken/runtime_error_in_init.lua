-- expect: runtime phase=init message~=attempt to index a nil value (global 'settings')
-- why: init touches a global that does not exist.

CONFIG_SCHEMA = {}

function init()
  return { window = settings.window }
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
