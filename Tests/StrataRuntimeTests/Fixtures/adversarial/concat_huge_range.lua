-- expect: runtime phase=tick message~=invalid value (at index 1)
-- why: a 2^62-element range: table.concat reads index 1 first (and polls the kill flag as it goes), so it fails at once.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  table.concat({}, "", 1, 1 << 62)
end

function render()
  return { widgets = {} }
end
