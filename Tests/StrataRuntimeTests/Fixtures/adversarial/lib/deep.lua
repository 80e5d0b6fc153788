-- Stands for a module at the bottom of a deep chain (the chain itself is the fixture's load()).
return { depth = 0 }
