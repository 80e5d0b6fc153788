-- expect: invalid_schema phase=load message~=CONFIG_SCHEMA is missing
-- why: the returned module is read raw: definitions served by an __index metamethod are not seen (no script code runs in the loader).

local definitions = {
  CONFIG_SCHEMA = {},
  init = function() return {} end,
  on_tick = function(tick) end,
  render = function() return { widgets = {} } end,
}

return setmetatable({}, { __index = function(_, name)
  return definitions[name]
end })
