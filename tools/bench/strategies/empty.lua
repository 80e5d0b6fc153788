-- Benchmark strategy: measures pure dispatch cost (host -> on_tick -> host).
function init()
  return {}
end

function on_tick(tick)
end

-- The rest of the strategy contract, so Strata loads the same file the baseline runs.
CONFIG_SCHEMA = {}

function render()
  return { widgets = {} }
end
