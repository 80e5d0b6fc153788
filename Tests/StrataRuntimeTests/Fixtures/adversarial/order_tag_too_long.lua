-- expect: runtime phase=tick message~=field 'tag' must be a string of at most 64 bytes
-- why: tags are bounded.

CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0.001 } }

function init()
  return {}
end

function on_tick(tick)
  context.place_order{ side = "buy", qty = 1, tag = ("x"):rep(65) }
end

function render()
  return { widgets = {} }
end
