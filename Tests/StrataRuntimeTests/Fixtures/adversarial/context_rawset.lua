-- expect: runtime phase=tick message~=attempt to modify a read-only table
-- why: rawset bypasses __newindex, so the sandbox's rawset must refuse read-only proxies itself.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  rawset(context, "get_price", function() return 1e9 end)
end

function render()
  return { widgets = {} }
end
