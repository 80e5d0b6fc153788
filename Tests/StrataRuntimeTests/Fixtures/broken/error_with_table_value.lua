-- expect: runtime phase=tick message~=(error object is a table value)
-- why: error({...}) uncaught: the report says what the value was.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  error({ code = 42, reason = "no liquidity" })
end

function render()
  return { widgets = {} }
end
