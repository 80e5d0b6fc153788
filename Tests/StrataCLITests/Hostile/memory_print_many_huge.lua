-- live: cpu_limit|memory_limit|runtime|quarantined
-- check: cpu_limit|memory_limit|runtime
-- why: print joined every argument (up to 8 MB each) before the log cut the line: 32 copies of
-- an 8 MB string cost the host 256 MB per call, outside the state's cap. Copies must be bounded
-- before joining.

CONFIG_SCHEMA = {}

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  local s = string.rep("p", 8 << 20)
  while true do
    print(s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s)
    warn(s, s, s, s, s, s, s, s)
  end
end

function render()
  return { widgets = {} }
end
