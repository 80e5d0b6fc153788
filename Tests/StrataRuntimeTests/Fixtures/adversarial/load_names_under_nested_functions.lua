-- expect: runtime phase=tick message~=too complex
-- why: every global name walks the locals of every enclosing function: 40 nested functions of 150 locals each, then a few thousand names, cost the parser seconds; refused before parsing.

CONFIG_SCHEMA = {}

function init()
  local parts = {}
  for d = 1, 40 do
    local names = {}
    for i = 1, 150 do names[i] = "v" .. d .. "_" .. i end
    parts[#parts + 1] = "local function f" .. d .. "() local " .. table.concat(names, ",")
  end
  parts[#parts + 1] = "return " .. string.rep("g+", 5000) .. "g"
  parts[#parts + 1] = string.rep(" end", 40)
  return { source = table.concat(parts, "\n") }
end

function on_tick(tick)
  assert(load(state.source))
end

function render()
  return { widgets = {} }
end
