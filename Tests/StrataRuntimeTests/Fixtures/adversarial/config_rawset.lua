-- expect: runtime phase=init message~=attempt to modify a read-only table
-- why: rawset on config is refused like any other write.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001, max = 10 } }

function init()
  rawset(config, "qty", 1e9)
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
