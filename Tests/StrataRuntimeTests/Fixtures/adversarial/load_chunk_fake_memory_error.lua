-- expect: runtime phase=tick message~=not enough memory
-- why: a loaded chunk raising "not enough memory" and a script raising it directly are runtime errors, not the memory cap.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local f = assert(load("error('not enough memory', 0)"))
  local ok, err = pcall(f)
  assert(not ok and err == "not enough memory")
  error("not enough memory", 0)
end

function render()
  return { widgets = {} }
end
