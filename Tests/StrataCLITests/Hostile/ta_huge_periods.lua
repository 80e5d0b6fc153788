-- live: memory_limit|cpu_limit|quarantined
-- check: memory_limit|cpu_limit
-- why: `ta` buffers live inside the indicator's userdata, so they count against the state's
-- memory cap. Periods past the bound (1,000,000) must be refused with an error, never allocated;
-- periods within it, kept in `state` one after another, must stop at the cap, in the tick that
-- crosses it, without touching the engine or another instance.

CONFIG_SCHEMA = {}

function init()
  return { n = 0, hoard = {} }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  for _, period in ipairs({ 1e9, 2^31, 2^53, 1e300, -1, 0, 1000001, 0.5 }) do
    local ok, err = pcall(ta.highest, period)
    if ok then error("ATTACK SUCCEEDED: ta.highest(" .. period .. ") was allocated", 0) end
    if not tostring(err):find("period must be an integer from 1 to 1000000", 1, true) then
      error("ATTACK SUCCEEDED: unclear refusal: " .. tostring(err), 0)
    end
  end
  local hoard = state.hoard
  for _ = 1, 1000 do
    hoard[#hoard + 1] = ta.highest(1000000)  -- 16 MB each
    hoard[#hoard + 1] = ta.vwap(1000000)
  end
  error("ATTACK SUCCEEDED: 32 GB of indicator buffers were allocated", 0)
end

function render()
  return { widgets = {} }
end
