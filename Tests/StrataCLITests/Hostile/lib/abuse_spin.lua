-- A module that hands out a function that never returns.
return function()
  while true do end
end
