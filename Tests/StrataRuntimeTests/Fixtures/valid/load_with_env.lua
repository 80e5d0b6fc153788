-- expect: ok ticks=2
-- why: load of text chunks with an explicit environment (formula strings, small DSLs) keeps working.

CONFIG_SCHEMA = { formula = { type = "string", default = "price * 2 + bias" } }

local compiled

function init()
  local env = { bias = 1, math = math }
  compiled = assert(load("return function(price) return " .. config.formula .. " end", "=formula", "t", env))()
  assert(compiled(10) == 21)
  local f = assert(load("x = 5; return x + (y or 0)", "=chunk", "t", { y = 2 }))
  assert(f() == 7)
  local g = assert(load("return ...", "=varargs", "t", {}))
  assert(select("#", g(1, 2, 3)) == 3)
  local bad, err = load("return +", "=broken", "t", {})
  assert(bad == nil and err:find("unexpected symbol"), err)
  local reader_parts, i = { "return ", "40 ", "+ 2" }, 0
  local h = assert(load(function() i = i + 1; return reader_parts[i] end, "=reader", "t", {}))
  assert(h() == 42)
  return { last = 0 }
end

function on_tick(tick)
  state.last = compiled(tick.price)
end

function render()
  return { widgets = { { type = "metric", label = "formula", value = state.last } } }
end
