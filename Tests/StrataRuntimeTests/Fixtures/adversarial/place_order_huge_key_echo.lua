-- expect: ok ticks=2
-- why: place_order{[huge_key] = 1} used to name the key in full in its error; kept errors grew the state past its cap through host-pushed strings. Keys count as text and error paths are cut.

CONFIG_SCHEMA = {}

function init()
  return { keep = {} }
end

function on_tick(tick)
  local key = string.rep("k", 4 * 1024 * 1024)
  for i = 1, 200 do
    local ok, err = pcall(context.place_order, { [key] = 1, side = "buy", qty = 1 })
    assert(not ok)
    state.keep[#state.keep + 1] = err
    assert(#err < 2000, "the error echoed the whole key")
  end
end

function render()
  return { widgets = {} }
end
