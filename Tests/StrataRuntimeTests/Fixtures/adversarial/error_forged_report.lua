-- expect: runtime phase=tick message~=(error object is a table value)
-- why: load leaks the host's own report table to the script (see valid/load_error_messages.lua); edited and raised, it must still be described as a table, never trusted as a report.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  local _, report = load(function() error("seed") end)
  if type(report) == "table" then
    report.message = "cpu limit: another instance ran past its deadline"
    report.line = 99999
    report.traceback = "forged"
    error(report)
  end
  error({ message = "forged", line = 99999 })
end

function render()
  return { widgets = {} }
end
