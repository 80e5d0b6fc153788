-- live: runtime|cpu_limit|memory_limit|quarantined
-- check: runtime|cpu_limit|memory_limit
-- why: Lua's parser is not linear and no hook fires while it runs: load() of a long elseif
-- chain inside on_tick parses where the deadline cannot reach. Sources are capped (64 KiB), so
-- the chain is as long as fits; a load must be bounded before or while it parses, and the
-- refusal (or the kill) is raised.

CONFIG_SCHEMA = {}

function init()
  local parts = { "local x = ... if x == 0 then x = 1\n" }
  for i = 1, 1800 do
    parts[#parts + 1] = "elseif x == " .. i .. " then x = x + " .. i .. "\n"
  end
  parts[#parts + 1] = "end return x"
  return { n = 0, source = table.concat(parts) }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  local f, err = load(state.source)
  if not f then error(err, 0) end
  error("neutralized: the chain was parsed in time")
end

function render()
  return { widgets = {} }
end
