-- expect: invalid_render phase=render message~=bytes of text
-- why: keys are text like values: 9,000 distinct 1 KB keys (9 MB) pass the value-count bound but not the text bound.

CONFIG_SCHEMA = {}

function init()
  local t = {}
  local pad = string.rep("k", 1024)
  for i = 1, 9000 do t[pad .. i] = true end
  return { t = t }
end

function on_tick(tick)
end

function render()
  return { widgets = { { type = "text", text = "x", extra = state.t } } }
end
