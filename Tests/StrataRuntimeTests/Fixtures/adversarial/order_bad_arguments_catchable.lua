-- expect: ok ticks=1
-- why: every bad argument is an ordinary Lua error in "bad argument #1 to 'place_order' (...)" style that a script may catch and handle.

CONFIG_SCHEMA = {}

local cases = {
  { side = "buy", qty = 0 / 0 }, { side = "buy", qty = 1 / 0 }, { side = "buy", qty = -1 / 0 },
  { side = "buy", qty = -2 }, { side = "buy", qty = 0 }, { side = "buy", qty = 4.9e-324 },
  { side = "buy", qty = 1e200 }, { side = "short", qty = 1 }, { side = 1, qty = 1 },
  { side = "buy", qty = "2" }, { side = "buy", qty = 1, type = "limit", price = -5 },
  { side = "buy", qty = 1, type = "limit", price = 1 / 0 }, { side = "buy", qty = 1, tag = 7 },
  "buy", 42, true, function() end, coroutine.create(function() end),
}

function init()
  return {}
end

function on_tick(tick)
  for i, order in ipairs(cases) do
    local ok, err = pcall(context.place_order, order)
    assert(not ok, "case " .. i .. " was accepted")
    assert(err:find("bad argument #1 to 'place_order'", 1, true), err)
  end
  -- Still trading normally afterwards.
  assert(context.place_order{ side = "buy", qty = 0.5 })
end

function render()
  return { widgets = {} }
end
