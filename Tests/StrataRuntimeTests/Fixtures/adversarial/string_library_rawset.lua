-- expect: runtime phase=tick message~=attempt to modify a read-only table
-- why: rawset on the string library would change ("x"):rep for every later call; the library is a read-only proxy.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  rawset(string, "rep", function() return "hijacked" end)
end

function render()
  return { widgets = {} }
end
