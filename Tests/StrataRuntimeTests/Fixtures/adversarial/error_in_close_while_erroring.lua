-- expect: runtime phase=tick message~=from __close
-- why: an error in a __close handler during unwinding replaces the original error; the report is still well formed.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local guard <close> = setmetatable({}, { __close = function()
    error("from __close", 0)
  end })
  error("original")
end

function render()
  return { widgets = {} }
end
