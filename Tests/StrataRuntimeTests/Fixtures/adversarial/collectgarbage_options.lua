-- expect: runtime phase=tick message~=collectgarbage('collect') is not allowed in the sandbox
-- why: every option but "count" is refused (a full collect per tick is a CPU bomb; generational/incremental retune the GC).

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  for _, option in ipairs({ "step", "incremental", "generational", "setpause", "setstepmul", "restart", "isrunning" }) do
    local ok, err = pcall(collectgarbage, option, 0)
    assert(not ok and err:find("not allowed"), option)
  end
  assert(type(collectgarbage("count")) == "number")
  collectgarbage()  -- "collect", the default option
end

function render()
  return { widgets = {} }
end
