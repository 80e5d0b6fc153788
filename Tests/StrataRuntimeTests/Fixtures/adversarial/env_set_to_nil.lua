-- expect: runtime phase=tick message~=attempt to index a nil value (upvalue '_ENV')
-- why: a script that destroys its own _ENV only hurts itself: a clean error, the host unaffected.

CONFIG_SCHEMA = {}

function init()
  return { n = 0 }
end

function on_tick(tick)
  _ENV = nil
  state.n = state.n + 1
end

function render()
  return { widgets = {} }
end
