-- expect: ok ticks=10
-- why: config defaults of every type reach the script read-only, state persists across ticks, and optional hooks may be defined.

CONFIG_SCHEMA = {
  f = { type = "number", default = 1.5 },
  i = { type = "integer", default = -3, min = -10, max = 10 },
  b = { type = "boolean", default = false },
  s = { type = "string", default = "" },
  e = { type = "enum", values = { "x", "y" }, default = "y" },
}

function init()
  assert(config.f == 1.5 and config.i == -3 and config.b == false and config.s == "" and config.e == "y")
  return { ticks = 0, seen = {} }
end

function on_config(old)
  error("not called by check")
end

function on_reload(old_version)
  error("not called by check")
end

function on_tick(tick)
  state.ticks = state.ticks + 1
  state.seen[#state.seen + 1] = tick.ts
  assert(#state.seen == state.ticks)
  if state.ticks > 1 then assert(state.seen[state.ticks] > state.seen[state.ticks - 1]) end
end

function render()
  assert(state.ticks == 10)
  return { widgets = { { type = "metric", label = "ticks", value = state.ticks } } }
end
