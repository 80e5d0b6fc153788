-- Benchmark strategy: SMA(20/50) crossover, pure compute (no context calls).
-- The host sets the global `state` to the table returned by init().
local FAST, SLOW = 20, 50

function init()
  local ring = {}
  for i = 1, SLOW do ring[i] = 0.0 end
  return {
    ring = ring,     -- last SLOW prices
    pos = 0,         -- index of the most recent price (1..SLOW)
    count = 0,       -- prices seen, capped at SLOW
    sum_fast = 0.0,  -- sum of the last FAST prices
    sum_slow = 0.0,  -- sum of the last SLOW prices
    diff = 0.0,      -- previous sign of (fast - slow): -1, 0 or 1
    signal = 0,      -- 1 = fast crossed above slow, -1 = crossed below, 0 = none
    crosses = 0,
  }
end

function on_tick(tick)
  local s = state
  local ring = s.ring
  local price = tick.price

  local pos = s.pos % SLOW + 1
  local count = s.count

  -- Slow window: the slot we overwrite holds the price from SLOW ticks ago.
  if count == SLOW then
    s.sum_slow = s.sum_slow - ring[pos] + price
  else
    s.sum_slow = s.sum_slow + price
    count = count + 1
    s.count = count
  end
  -- Fast window: drop the price from FAST ticks ago once FAST have been seen.
  if count > FAST then
    s.sum_fast = s.sum_fast - ring[(pos - FAST - 1) % SLOW + 1] + price
  else
    s.sum_fast = s.sum_fast + price
  end
  ring[pos] = price
  s.pos = pos

  s.signal = 0
  if count < SLOW then return end

  local fast = s.sum_fast / FAST
  local slow = s.sum_slow / SLOW
  local d = fast > slow and 1 or (fast < slow and -1 or 0)
  local prev = s.diff
  if d ~= 0 and prev ~= 0 and d ~= prev then
    s.signal = d
    s.crosses = s.crosses + 1
  end
  if d ~= 0 then s.diff = d end
end

-- The rest of the strategy contract, so Strata loads the same file the baseline runs.
CONFIG_SCHEMA = {}

function render()
  return { widgets = {} }
end
