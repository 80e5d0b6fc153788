-- live: memory_limit|cpu_limit|quarantined
-- check: memory_limit|cpu_limit
-- why: a __close that raises while a memory error unwinds replaces the error value, so pcall saw
-- an ordinary error and the script went on past its cap. The cap's verdict must stick: the
-- instance fails with memory_limit (cpu_limit when a loaded machine lets the deadline come
-- first), never with the __close error, and the line after pcall never runs.

CONFIG_SCHEMA = {}

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  local ok, err = pcall(function()
    local mask <close> = setmetatable({}, { __close = function()
      error("an ordinary error, honest", 0)
    end })
    local hoard, s = {}, "m"
    while true do s = s .. s; hoard[#hoard + 1] = s end
  end)
  error("ATTACK SUCCEEDED: pcall caught the memory cap as: " .. tostring(err), 0)
end

function render()
  return { widgets = {} }
end
