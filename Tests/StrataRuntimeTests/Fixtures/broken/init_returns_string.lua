-- expect: runtime phase=init message~=init() must return a table (the initial state), got string
-- why: init must return the state table, not a description of it.

CONFIG_SCHEMA = {}

function init()
  return "ready"
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
