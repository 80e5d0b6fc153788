-- expect: runtime phase=init message~=attempt to load a binary chunk (mode is 't')
-- why: load with no mode argument defaults to "bt" in Lua; the sandbox must force "t".

CONFIG_SCHEMA = {}

function init()
  local f = assert(load("\27Lua\x54\0\x19\x93\r\n\x1a\n"))
  return { f = f }
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
