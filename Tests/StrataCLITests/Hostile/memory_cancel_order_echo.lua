-- live: memory_limit|cpu_limit|runtime|quarantined
-- check: memory_limit|cpu_limit|runtime
-- why: values the host pushes were never refused: cancel_order(huge_id) echoed the 4 MB id in
-- its error message, so keeping the messages grew one state to gigabytes under a 64 MiB cap.
-- What the host pushes must count against the cap or be bounded at the source.

CONFIG_SCHEMA = {}

function init()
  return { n = 0, kept = {} }
end

function on_tick(tick)
  state.n = state.n + 1
  if state.n < 25 then return end
  local id = string.rep("z", 4 << 20)
  while true do
    local _, err = context.cancel_order(id)
    state.kept[#state.kept + 1] = err
  end
end

function render()
  return { widgets = {} }
end
