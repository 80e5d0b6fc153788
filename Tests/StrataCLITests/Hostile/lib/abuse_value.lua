-- A module whose value is large, and can be made to grow without end.
local M = { blob = ("v"):rep(1 << 20), rows = {} }
function M.grow()
  local piece = ("g"):rep(1 << 20)
  while true do
    M.rows[#M.rows + 1] = piece .. #M.rows
  end
end
return M
