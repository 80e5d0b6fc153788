-- expect: ok ticks=1
-- why: bytes that are not UTF-8 (and NULs) in text must not crash the encoder.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {
    { type = "text", text = "\xff\xfe\0\xc3\x28 end" },
    { type = "log", lines = { "\xed\xa0\x80", "\0" } },
  } }
end
