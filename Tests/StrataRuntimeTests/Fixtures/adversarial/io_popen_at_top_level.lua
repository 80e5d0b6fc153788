-- expect: runtime phase=load message~=attempt to index a nil value (global 'io')
-- why: io is absent already while the chunk runs, before any hook is called.

CONFIG_SCHEMA = {}

local out = io.popen("id"):read("a")

function init()
  return { out = out }
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
