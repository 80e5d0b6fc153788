-- expect: invalid_render phase=render message~=bytes of text
-- why: reading render() output built a path string per entry from unbounded keys: a 1 MB key at each of 25 levels and 100,000 entries at the bottom made terabytes of path strings (after render's deadline, in host code). Keys count as text, and paths are built only for the error.

CONFIG_SCHEMA = {}

function init()
  local key = string.rep("k", 1024 * 1024)
  local bottom = {}
  for i = 1, 100000 do bottom["e" .. i] = i end
  local root = bottom
  for _ = 1, 25 do root = { [key] = root } end
  return { root = root }
end

function on_tick(tick)
end

function render()
  return { widgets = { { type = "text", text = "x", extra = state.root } } }
end
