local M = {}
error("this module refuses to load")
return M
