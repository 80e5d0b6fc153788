-- expect: runtime phase=tick message~=attempt to index a nil value (global 'os')
-- why: os is not in the sandbox, so a strategy cannot run commands.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  os.execute("touch /tmp/strata-pwned")
end

function render()
  return { widgets = {} }
end
