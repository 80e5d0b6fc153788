-- expect: ok ticks=2
-- why: a load reader that raises "not enough memory" (as text) is an ordinary error that load returns as nil, msg: it is not the memory cap (errors are classified by the host's own flags, never by their text).

CONFIG_SCHEMA = {}

function init()
  local f, err = load(function() error("not enough memory", 0) end)
  assert(f == nil and err == "not enough memory", tostring(err))
  return {}
end

function on_tick(tick)
  local f, err = load(function() error("not enough memory") end)
  assert(f == nil and err:find("not enough memory"), tostring(err))
  local ok, msg = pcall(error, "not enough memory", 0)
  assert(not ok and msg == "not enough memory")
end

function render()
  return { widgets = {} }
end
