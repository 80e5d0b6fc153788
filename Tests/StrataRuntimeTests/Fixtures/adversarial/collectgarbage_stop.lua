-- expect: runtime phase=tick message~=collectgarbage('stop') is not allowed in the sandbox
-- why: stopping the collector lets garbage grow to the memory cap (and starves other work); only "count" is allowed.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  collectgarbage("stop")
end

function render()
  return { widgets = {} }
end
