-- expect: runtime phase=tick message~=bad argument #1 to 'rawset' (table expected, got boolean)
-- why: rawset cannot reach the string metatable either: the script never gets hold of it.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  rawset(getmetatable(""), "__index", { upper = function() return "hijacked" end })
end

function render()
  return { widgets = {} }
end
