-- expect: missing_function phase=load message~=render must be a function: it is missing
-- why: the returned-table form is checked the same way (globals are not consulted when a table is returned).

local M = { CONFIG_SCHEMA = {} }

function M.init()
  return {}
end

function M.on_tick(tick)
end

function render()  -- a global, but the module wins
  return { widgets = {} }
end

return M
