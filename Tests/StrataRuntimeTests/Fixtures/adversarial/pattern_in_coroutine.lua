-- expect: cpu_limit phase=tick
-- why: a catastrophic pattern running inside a coroutine: the matcher polls the kill on the right thread.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  coroutine.wrap(function()
    string.rep("a", 5000):find(".-.-.-.-.-.-.-.-b")
  end)()
end

function render()
  return { widgets = {} }
end
