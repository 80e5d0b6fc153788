-- expect: runtime phase=tick message~=too complex
-- why: a chain of `or` in one expression is quadratic in the parser (each `or` walks the jump list so far): refused before parsing.

CONFIG_SCHEMA = {}

function init()
  return { source = "return x" .. string.rep(" or x", 12000) }
end

function on_tick(tick)
  assert(load(state.source))
end

function render()
  return { widgets = {} }
end
