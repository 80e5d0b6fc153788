-- expect: runtime phase=tick message~=attempt to modify a read-only table (field 'withdraw')
-- why: nothing can be added to the context either.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  context.withdraw = function() end
end

function render()
  return { widgets = {} }
end
