-- live: runtime|cpu_limit|memory_limit|quarantined
-- check: runtime|cpu_limit|memory_limit
-- why: each global name the parser meets walks every enclosing scope's locals: 2,500 globals
-- under 25 nested functions with 190 locals each, inside the 64 KiB source cap, cost millions
-- of steps per name in the parser, where no hook fires. A load must be bounded before or while
-- it parses.

CONFIG_SCHEMA = {}

function init()
  local locals = {}
  for i = 1, 190 do locals[i] = "v" .. i end
  local declare = "local " .. table.concat(locals, ", ") .. "\n"
  local parts = {}
  for _ = 1, 25 do parts[#parts + 1] = "return function()\n" .. declare end
  for i = 1, 2500 do parts[#parts + 1] = "g" .. i .. "=1 " end
  for _ = 1, 25 do parts[#parts + 1] = "end\n" end
  return { n = 0, source = table.concat(parts) }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  local f, err = load(state.source)
  if not f then error(err, 0) end
  error("neutralized: the nested scopes were parsed in time")
end

function render()
  return { widgets = {} }
end
