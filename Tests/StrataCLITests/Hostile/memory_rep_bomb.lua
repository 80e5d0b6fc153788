-- live: memory_limit|runtime|cpu_limit|quarantined
-- check: memory_limit|runtime|cpu_limit
-- why: string.rep builds its result in C before the cap can say no: repeated doubling, and
-- counts whose product overflows, must be refused before the copy or stopped by the cap.

CONFIG_SCHEMA = {}

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  local kept = {}
  local s = "bomb"
  while true do
    s = string.rep(s, 3, s)
    kept[#kept + 1] = s
  end
end

function render()
  return { widgets = {} }
end
