-- expect: runtime phase=init message~=fast window (30) must be shorter than slow window (20)
-- why: a relation between fields the schema cannot express, checked (and refused) by init with the defaults.

CONFIG_SCHEMA = {
  fast = { type = "integer", default = 30, min = 1 },
  slow = { type = "integer", default = 20, min = 2 },
}

function init()
  if config.fast >= config.slow then
    error(string.format("fast window (%d) must be shorter than slow window (%d)", config.fast, config.slow))
  end
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
