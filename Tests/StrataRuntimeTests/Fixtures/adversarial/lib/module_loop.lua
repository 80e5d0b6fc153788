-- Spins at its top level: the strategy's load deadline stops it.
while true do end
