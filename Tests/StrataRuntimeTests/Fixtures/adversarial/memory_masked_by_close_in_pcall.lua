-- expect: memory_limit phase=init
-- why: a `__close` that raises while a memory error unwinds replaces the error value, so pcall used to see an ordinary error and the script went on past its cap; the cap's verdict must stick.

CONFIG_SCHEMA = {}

function init()
  local ok, err = pcall(function()
    local guard <close> = setmetatable({}, { __close = function()
      error("an ordinary error, not the cap", 0)
    end })
    local s = "x"
    while true do s = s .. s end
  end)
  return { ok = ok, err = err }
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
