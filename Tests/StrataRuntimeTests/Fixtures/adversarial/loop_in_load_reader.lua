-- expect: cpu_limit phase=tick
-- why: load calls its reader function from C inside a protected parser, which catches errors: the kill must survive that.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local f, err = load(function()
    while true do end
  end)
  -- load returned (nil, err): the script carries on, but the host's flag says killed.
  while true do end
end

function render()
  return { widgets = {} }
end
