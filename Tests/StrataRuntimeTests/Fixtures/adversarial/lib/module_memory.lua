-- Returns a value that grows without end: the state's memory cap stops it.
local huge = {}
local piece = ("x"):rep(1000)
while true do
  huge[#huge + 1] = piece .. #huge
end
return huge
