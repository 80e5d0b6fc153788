-- expect: runtime phase=tick message~=pattern too complex
-- why: deep matcher recursion is refused with Lua's own message instead of overflowing the C stack.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  string.match(string.rep("a", 200000), string.rep(".?", 200000))
end

function render()
  return { widgets = {} }
end
