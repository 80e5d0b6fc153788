-- expect: runtime phase=tick message~=attempt to yield across a C-call boundary
-- why: inside a coroutine, a yield from a gsub replacement function is an error.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  coroutine.wrap(function()
    string.gsub("abc", "%a", function(c)
      coroutine.yield(c)
    end)
  end)()
end

function render()
  return { widgets = {} }
end
