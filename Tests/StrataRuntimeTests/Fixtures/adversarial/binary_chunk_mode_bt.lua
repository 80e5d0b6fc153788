-- expect: runtime phase=tick message~=attempt to load a binary chunk (mode is 't')
-- why: mode "bt" (text or binary) must not let a binary chunk through either.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local f = assert(load("\27Lua\x54\0\x19\x93\r\n\x1a\n\4\8\8", "forged", "bt"))
  f()
end

function render()
  return { widgets = {} }
end
