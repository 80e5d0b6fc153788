-- live: runtime|quarantined
-- check: runtime
-- why: a load reader that raises the text "not enough memory" is an ordinary error: reporting
-- it as the memory cap (matching error text) is the wrong verdict. The script raises what load
-- returned; it must be a runtime error.

CONFIG_SCHEMA = {}

function init()
  return { n = 0 }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  local f, err = load(function() error("not enough memory", 0) end)
  if f == nil then error(err, 0) end
  error("ATTACK SUCCEEDED: load returned a function from a reader that raised")
end

function render()
  return { widgets = {} }
end
