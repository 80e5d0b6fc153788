-- expect: runtime phase=tick ticks=10 message~=position limit reached
-- why: a script error raised on purpose after a few good ticks.

CONFIG_SCHEMA = {}

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n > 5 then
    error("position limit reached")
  end
end

function render()
  return { widgets = {} }
end
