-- expect: runtime phase=tick message~=attempt to index a nil value (global 'debug')
-- why: debug.getregistry/setupvalue/sethook break every guarantee of the sandbox.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  debug.sethook()                       -- would remove the kill hook
  local registry = debug.getregistry()  -- would reach the host's references
end

function render()
  return { widgets = {} }
end
