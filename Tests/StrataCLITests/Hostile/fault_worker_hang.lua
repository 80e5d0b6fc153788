-- live: cpu_limit|quarantined
-- check: ok
-- why: really wedges its worker asleep with every signal blocked at its 25th tick,
-- through strata_test_fault, which only a worker of a server started with STRATA_TEST_FAULTS=1
-- offers; anywhere else this script is harmless. The supervisor must kill or notice the worker,
-- fail this instance with the cause, restart its neighbours with no tick lost, and quarantine
-- the version after repeated crashes.

CONFIG_SCHEMA = {}

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n == 25 and strata_test_fault then strata_test_fault("hang") end
end

function render()
  return { widgets = { { type = "metric", label = "ticks", value = state.n } } }
end
