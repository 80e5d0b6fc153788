-- expect: runtime phase=tick message~=attempt to load a binary chunk (mode is 't')
-- why: a reader function that hands over the ESC byte first and the rest later is still binary.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local pieces = { "\27", "Lua\x54\0\x19\x93\r\n\x1a\n", "\4\8\8" }
  local i = 0
  local f = assert(load(function()
    i = i + 1
    return pieces[i]
  end, "forged", "bt"))
  f()
end

function render()
  return { widgets = {} }
end
