-- expect: ok ticks=3
-- why: table.sort (with and without comparator, stable enough for ties), move, concat, insert, remove, unpack, pack behave as in Lua.

CONFIG_SCHEMA = {}

local function check()
  local t = { 5, 2, 8, 1, 9, 3 }
  table.sort(t)
  assert(table.concat(t, ",") == "1,2,3,5,8,9")
  table.sort(t, function(a, b) return a > b end)
  assert(table.concat(t, ",") == "9,8,5,3,2,1")
  local words = { "pear", "Apple", "fig" }
  table.sort(words, function(a, b) return a:lower() < b:lower() end)
  assert(table.concat(words, " ") == "Apple fig pear")
  local records = {}
  for i = 1, 200 do records[i] = { key = (i * 37) % 50, id = i } end
  table.sort(records, function(a, b) if a.key ~= b.key then return a.key < b.key end return a.id < b.id end)
  for i = 2, #records do
    local p, q = records[i - 1], records[i]
    assert(p.key < q.key or (p.key == q.key and p.id < q.id))
  end
  local ok, err = pcall(table.sort, { 1, "x", 2 })
  assert(not ok and err:find("attempt to compare"), err)
  table.sort({})
  table.sort({ 1 })

  local m = table.move({ 1, 2, 3 }, 1, 3, 2)
  assert(table.concat(m, ",") == "1,1,2,3")
  local dest = table.move({ 1, 2, 3 }, 2, 3, 1, { "a", "b", "c" })
  assert(table.concat(dest, ",") == "2,3,c")
  assert(table.concat(table.move({ 1, 2, 3, 4 }, 2, 4, 1), ",") == "2,3,4,4")

  assert(table.concat({}) == "" and table.concat({ 1, 2.5, "x" }, "-") == "1-2.5-x")
  assert(table.concat({ "a", "b", "c" }, ",", 2, 3) == "b,c")
  ok, err = pcall(table.concat, { 1, {}, 3 })
  assert(not ok and err:find("invalid value"), err)

  local list = {}
  table.insert(list, "b")
  table.insert(list, 1, "a")
  table.insert(list, "c")
  assert(table.concat(list) == "abc" and table.remove(list, 1) == "a" and table.remove(list) == "c" and #list == 1)
  assert(table.remove({}) == nil)
  ok = pcall(table.insert, {}, 5, "x")
  assert(not ok)

  local packed = table.pack(1, nil, 3)
  assert(packed.n == 3 and packed[3] == 3)
  assert(select("#", table.unpack({ 1, 2, 3 })) == 3 and select(2, table.unpack({ 1, 2, 3 }, 2)) == 3)
  assert(#{ 1, 2, 3 } == 3 and next({}) == nil and rawlen({ 1, 2 }) == 2 and rawequal(t, t))

  local count = 0
  for k, v in pairs({ a = 1, b = 2, 3 }) do count = count + 1 end
  assert(count == 3)
  local idx = 0
  for i, v in ipairs({ 10, 20, nil, 40 }) do idx = i end
  assert(idx == 2)
end

check()

function init()
  check()
  return {}
end

function on_tick(tick)
  check()
end

function render()
  return { widgets = {} }
end
