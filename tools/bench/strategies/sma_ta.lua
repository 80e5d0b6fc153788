-- Benchmark strategy: the SMA(20/50) crossover of sma.lua written with the `ta` library
-- (incremental indicators in C inside the sandbox): the same signals, no hand-kept ring.
-- The host sets the global `state` to the table returned by init().
local FAST, SLOW = 20, 50

function init()
  return {
    fast = ta.sma(FAST),
    slow = ta.sma(SLOW),
    diff = 0,        -- previous sign of (fast - slow): -1, 0 or 1
    signal = 0,      -- 1 = fast crossed above slow, -1 = crossed below, 0 = none
    crosses = 0,
  }
end

function on_tick(tick)
  local s = state
  local price = tick.price
  local fast, slow = s.fast:update(price), s.slow:update(price)
  s.signal = 0
  if slow == nil then return end

  local d = fast > slow and 1 or (fast < slow and -1 or 0)
  local prev = s.diff
  if d ~= 0 and prev ~= 0 and d ~= prev then
    s.signal = d
    s.crosses = s.crosses + 1
  end
  if d ~= 0 then s.diff = d end
end

CONFIG_SCHEMA = {}

function render()
  return { widgets = {} }
end
