-- expect: syntax phase=load message~=no visible label 'done'
-- why: compile-time checks beyond the grammar are syntax errors too.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  goto done
end

function render()
  return { widgets = {} }
end
