-- expect: ok ticks=1
-- why: table.unpack with ranges too big for the stack fails with an error instead of allocating or looping.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  for _, range in ipairs({ { 1, math.maxinteger }, { math.mininteger, math.maxinteger }, { 1, 1e8 } }) do
    local ok, err = pcall(table.unpack, {}, range[1], range[2])
    assert(not ok and err:find("too many results"), err)
  end
  assert(select("#", table.unpack({}, 1, 100000)) == 100000)
end

function render()
  return { widgets = {} }
end
