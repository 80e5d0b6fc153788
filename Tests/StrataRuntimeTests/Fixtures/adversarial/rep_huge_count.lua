-- expect: runtime phase=tick message~=resulting string too large
-- why: string.rep with a huge count is refused before it allocates or loops.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local s = ("x"):rep(1e18)
end

function render()
  return { widgets = {} }
end
