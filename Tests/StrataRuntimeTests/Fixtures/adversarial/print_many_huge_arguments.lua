-- expect: ok ticks=2
-- why: print joined every argument in full (up to 8 MB each) before the log cut the line to 2,000 bytes: 200 arguments of 8 MB made 1.6 GB of host memory per call. Arguments are cut before they are joined.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local s = string.rep("x", 8 * 1024 * 1024)
  local args = {}
  for i = 1, 200 do args[i] = s end
  print(table.unpack(args))
  warn(table.unpack(args))
  context.log(s)
end

function render()
  return { widgets = {} }
end
