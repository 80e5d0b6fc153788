-- live: memory_limit|cpu_limit|quarantined
-- check: memory_limit|cpu_limit
-- why: small indicator objects by the thousand (each a userdata with its buffer), all kept in
-- `state` and fed every tick: the cap must stop the tick that crosses it, whatever the
-- collector does, and the rest of the engine must not notice.

CONFIG_SCHEMA = {}

local kinds = { "sma", "ema", "wma", "rma", "rsi", "stdev", "highest", "lowest", "roc" }

function init()
  return { n = 0, hoard = {} }
end

function on_tick(tick)
  state.n = state.n + 1
  for i = 1, #state.hoard, 97 do state.hoard[i]:update(tick.price) end
  if state.n < 25 then return end
  local hoard = state.hoard
  for i = 1, 10000000 do
    hoard[#hoard + 1] = ta[kinds[i % #kinds + 1]](200)
    hoard[#hoard + 1] = ta.macd(12, 26, 9)
    hoard[#hoard + 1] = ta.bollinger(100, 2)
  end
  error("ATTACK SUCCEEDED: 30 million indicators were allocated", 0)
end

function render()
  return { widgets = {} }
end
