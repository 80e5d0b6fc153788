-- expect: runtime phase=init message~=init() must return a table (the initial state), got number
-- why: init must return the state table.

CONFIG_SCHEMA = {}

function init()
  return 0
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
