-- expect: runtime phase=tick message~=attempt to load a binary chunk (mode is 't')
-- why: a hand-made "\27Lua" chunk (Lua 5.4 header) must be refused even when mode "b" is asked for.

CONFIG_SCHEMA = {}

function init()
  return {}
end

-- The Lua 5.4 header: signature, version 0x54, format 0, LUAC_DATA, sizes, LUAC_INT, LUAC_NUM.
local HEADER = "\27Lua\x54\0\x19\x93\r\n\x1a\n\4\8\8" .. "\x78\x56\0\0\0\0\0\0" .. "\0\0\0\0\0\x28\x77\x40"

function on_tick(tick)
  local f = assert(load(HEADER .. "\1\0\0\0", "forged", "b"))
  f()
end

function render()
  return { widgets = {} }
end
