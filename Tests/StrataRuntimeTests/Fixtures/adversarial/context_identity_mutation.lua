-- expect: runtime phase=tick message~=attempt to modify a read-only table (field 'account')
-- why: context.identity is read-only: a script cannot claim another account.

CONFIG_SCHEMA = {}

function init()
  return {}
end

function on_tick(tick)
  assert(context.identity.account == "paper")
  context.identity.account = "someone-elses-account"
end

function render()
  return { widgets = {} }
end
