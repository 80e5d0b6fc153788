-- expect: invalid_render phase=render message~=nested deeper than 32
-- why: deeply nested output is refused by the reader's depth bound (no host recursion to the C stack's end).

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  local root = {}
  local node = root
  for _ = 1, 10000 do
    node.x = {}
    node = node.x
  end
  return { widgets = { { type = "text", text = "deep", extra = root } } }
end
