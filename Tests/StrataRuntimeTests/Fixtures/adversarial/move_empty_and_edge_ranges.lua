-- expect: ok ticks=1
-- why: empty ranges (e < f) at every extreme return at once; ranges that cannot be represented are errors, not loops.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local t = { 1, 2, 3 }
  assert(table.move({}, 2, 1, 1) ~= nil)
  assert(table.move({}, math.maxinteger, math.mininteger, 1) ~= nil)
  assert(table.move({}, 1, 0, math.maxinteger) ~= nil)
  assert(table.move(t, 1, 0, math.mininteger, {}) ~= nil)
  local ok, err = pcall(table.move, {}, 0, math.maxinteger, 1)
  assert(not ok and err:find("too many elements to move"), err)
  ok, err = pcall(table.move, {}, 1, math.maxinteger, 2)
  assert(not ok and err:find("destination wrap around"), err)
  ok, err = pcall(table.move, {}, math.mininteger, -1, 1)
  assert(not ok and err:find("too many elements to move"), err)
  assert(table.concat(table.move(t, 1, 3, 2), ",") == "1,1,2,3")
end

function render()
  return { widgets = {} }
end
