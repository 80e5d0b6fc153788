-- expect: cpu_limit phase=tick
-- why: after load swallowed the kill, a script that keeps running (without looping) is still stopped.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local f, err = load(function()
    while true do end
  end)
  state.survived = true
  for i = 1, 10 do state.survived = i end
end

function render()
  return { widgets = {} }
end
