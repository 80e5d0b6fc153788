-- expect: runtime phase=tick message~=attempt to index a nil value (global 'io')
-- why: io is not in the sandbox, so a strategy cannot read files such as /etc/passwd.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local f = io.open("/etc/passwd")
  state.leak = f:read("a")
end

function render()
  return { widgets = {} }
end
