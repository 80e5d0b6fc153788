-- expect: cpu_limit phase=tick
-- why: gsub calls the replacement function from C; a loop there is stopped.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  string.gsub("abc", "%a", function(c)
    while true do end
  end)
end

function render()
  return { widgets = {} }
end
