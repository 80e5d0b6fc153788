-- expect: ok ticks=10
-- why: 200 long (20 KB) log lines per tick, 2,000 in all (twice the log's capacity): the log is bounded in lines and line length, the host's memory is not at the script's mercy.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local line = ("x"):rep(20000)
  for i = 1, 100 do
    context.log(line)
    print(i, line)
  end
end

function render()
  return { widgets = {} }
end
