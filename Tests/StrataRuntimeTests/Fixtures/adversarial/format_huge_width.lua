-- expect: runtime phase=tick message~=invalid conversion
-- why: string.format widths are bounded by Lua (two digits at most): a huge width is a format error, not a huge allocation.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  string.format("%999999999d", 1)
end

function render()
  return { widgets = {} }
end
