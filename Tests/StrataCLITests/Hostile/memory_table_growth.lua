-- live: memory_limit|cpu_limit|quarantined
-- check: memory_limit|cpu_limit
-- why: state that grows by 100,000 tables a tick, kept forever: the cap must stop it in the
-- tick that crosses it, whatever the collector does.

CONFIG_SCHEMA = {}

function init()
  return { n = 0, hoard = {} }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  local hoard = state.hoard
  for i = 1, 100000 do hoard[#hoard + 1] = { i, tick.price } end
end

function render()
  return { widgets = {} }
end
