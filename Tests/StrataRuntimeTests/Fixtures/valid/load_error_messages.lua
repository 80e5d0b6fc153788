-- expect: ok ticks=1
-- why: load reports failures as (nil, message string), including errors raised by a reader function.

CONFIG_SCHEMA = {}

function init()
  local f, err = load("return )", "=syntax", "t", {})
  assert(f == nil and type(err) == "string" and err:find("unexpected symbol"), tostring(err))
  f, err = load(function() error("reader failed", 0) end, "=reader", "t", {})
  assert(f == nil and type(err) == "string", "reader error came back as a " .. type(err))
  assert(err:find("reader failed"), err)
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
