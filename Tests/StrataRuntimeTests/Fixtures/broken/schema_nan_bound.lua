-- expect: invalid_schema phase=load message~=max must be a finite number
-- why: a bound computed as NaN or infinity.

CONFIG_SCHEMA = {
  qty = { type = "float", default = 1, max = 0 / 0 },
}

function init()
  return {}
end

function on_tick(tick)
end

function render()
  return { widgets = {} }
end
