-- live: cpu_limit|quarantined
-- check: cpu_limit
-- why: a function a module handed out spins at tick time: the tick's deadline stops it.

local spin = require "abuse_spin"

CONFIG_SCHEMA = {}

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  spin()
  error("ATTACK SUCCEEDED: spin() returned")
end

function render()
  return { widgets = {} }
end
