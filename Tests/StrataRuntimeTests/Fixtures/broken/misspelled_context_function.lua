-- expect: runtime phase=tick message~=attempt to call a nil value (field 'place_ordr')
-- why: a misspelled context function.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  context.place_ordr{ side = "buy", qty = 1 }
end

function render()
  return { widgets = {} }
end
