-- expect: runtime phase=tick message~=too complex
-- why: every goto walks the function's labels and every label its pending gotos: thousands of each cost the parser quadratic time; refused before parsing.

CONFIG_SCHEMA = {}

function init()
  local parts = {}
  for i = 1, 3000 do parts[i] = "::l" .. i .. ":: goto l" .. i end
  return { source = table.concat(parts, "\n") }
end

function on_tick(tick)
  assert(load(state.source))
end

function render()
  return { widgets = {} }
end
