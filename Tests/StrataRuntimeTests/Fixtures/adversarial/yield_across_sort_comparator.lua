-- expect: runtime phase=tick message~=attempt to yield across a C-call boundary
-- why: inside a coroutine, a yield from a sort comparator (called from C without a continuation) is an error.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  coroutine.wrap(function()
    table.sort({ 3, 2, 1 }, function(a, b)
      coroutine.yield()
      return a < b
    end)
  end)()
end

function render()
  return { widgets = {} }
end
