-- expect: runtime phase=tick message~=stack overflow
-- why: a __close handler that opens and closes another to-be-closed variable whose handler does the same.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local function closer()
    return setmetatable({}, { __close = function()
      local inner <close> = closer()
    end })
  end
  local outer <close> = closer()
end

function render()
  return { widgets = {} }
end
