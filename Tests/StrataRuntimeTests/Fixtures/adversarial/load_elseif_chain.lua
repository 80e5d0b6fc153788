-- expect: runtime phase=tick message~=too complex
-- why: the parser is quadratic in an elseif chain and runs where no hook fires: load() inside on_tick is bounded before parsing (size and a cost scan), so a 4,000-branch chain (56 KB) is refused instead of freezing the tick.

CONFIG_SCHEMA = {}

function init()
  return { source = "if x then " .. string.rep("elseif x then ", 4000) .. "end" }
end

function on_tick(tick)
  assert(load(state.source))
end

function render()
  return { widgets = {} }
end
