-- expect: runtime phase=tick message~=attempt to modify a read-only table (field 'qty')
-- why: config is the validated config: read-only, so a script cannot raise its own limits.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001, max = 10 } }

function init()
  return {}
end

function on_tick(tick)
  config.qty = 1e9
end

function render()
  return { widgets = {} }
end
