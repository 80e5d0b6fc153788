-- expect: runtime phase=tick message~=attempt to call a nil value (field 'dump')
-- why: string.dump makes bytecode, the first step of every load-a-forged-binary-chunk exploit.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local f = load(string.dump(function() return 1 end), "dumped", "b")
  f()
end

function render()
  return { widgets = {} }
end
