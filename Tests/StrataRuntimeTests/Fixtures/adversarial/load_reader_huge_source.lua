-- expect: ok ticks=2
-- why: a reader function feeding load() 10 MB in pieces: the pieces are read by the sandbox (where a deadline can stop the reader) and refused past the size bound for loaded chunks, before any parsing.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local piece = string.rep("a = 1\n", 10000)
  local n = 0
  local f, err = load(function()
    n = n + 1
    if n <= 170 then return piece end
  end)
  assert(f == nil and err:find("too large"), tostring(err))
  assert(n < 20, "the reader was called after the bound")
end

function render()
  return { widgets = {} }
end
