-- Differential cases for strata_pattern.c; loaded by pattern_check.c, which provides the globals
-- `mine` (our find/match/gmatch/gsub) and `check` (kill stub controls, clocks).
-- Returns the number of failures.

local O = { find = string.find, match = string.match, gmatch = string.gmatch, gsub = string.gsub }
local M = assert(mine)
local check = assert(check)
local pack, unpack = table.pack, table.unpack
local failures = 0

-- MARK: - Running one case on one implementation

-- Calls go through upvalues named like the library functions (and never as tail calls) so
-- "bad argument #1 to 'find'" reads the same for both implementations.
local function runner(impl)
  local find, match, gmatch, gsub = impl.find, impl.match, impl.gmatch, impl.gsub
  local r = {}
  function r.find(...) local t = pack(find(...)) return t end
  function r.match(...) local t = pack(match(...)) return t end
  function r.gsub(...) local t = pack(gsub(...)) return t end
  function r.gmatch(...)
    local it = gmatch(...)
    local out = { n = 0 }
    repeat  -- a correct gmatch ends within #s + 2 calls; the cap stops a broken one
      local t = pack(it())
      out.n = out.n + 1
      out[out.n] = t
    until t.n == 0 or out.n > 10000
    out.n = out.n + 1
    out[out.n] = pack(it())  -- an exhausted iterator stays exhausted
    return out
  end
  return r
end
local RO, RM = runner(O), runner(M)

-- Replacement makers for gsub: each call makes a fresh value and a log of what it was asked.
local makers = {}
local function logger(log, result) return function(...) log[#log + 1] = pack(...) return result(...) end end
makers.fn_nil = function(log) return logger(log, function() return nil end) end
makers.fn_false = function(log) return logger(log, function() return false end) end
makers.fn_first = function(log) return logger(log, function(c) if math.type(c) then return c * 10 end return c .. "!" end) end
makers.fn_mixed = function(log)
  local results = { nil, "X", 42, false, 1.5, "" }
  return logger(log, function() return results[#log % 6 + 1] end)
end
makers.fn_table = function(log) return logger(log, function() return {} end) end
makers.fn_true = function(log) return logger(log, function() return true end) end
makers.fn_error = function(log) return logger(log, function() error("boom", 0) end) end
makers.fn_nomatch = function(log) return logger(log, function(...) return select("#", ...) end) end
makers.tbl = function()
  return { a = "A", b = false, x = 7, ["1"] = "one", [1] = "int1", [3] = true, ab = "AB", [""] = "E", ["()"] = 2.5 }
end
makers.tbl_index = function(log)
  return setmetatable({}, { __index = function(_, k) log[#log + 1] = k; if k == "b" then return "B" end end })
end
local maker_names = {}
for k in pairs(makers) do maker_names[#maker_names + 1] = k end
table.sort(maker_names)

-- Deep equality with number subtypes: 1 and 1.0 differ here.
local function same(a, b)
  if type(a) ~= type(b) or math.type(a) ~= math.type(b) then return false end
  if type(a) ~= "table" then return a == b or (a ~= a and b ~= b) end
  if (a.n or #a) ~= (b.n or #b) then return false end
  for k, v in pairs(a) do if not same(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end

local function show(v)
  if type(v) == "string" then return (string.format("%q", v):gsub("\n", "n")) end
  if type(v) ~= "table" then return tostring(v) .. (math.type(v) == "float" and "(f)" or "") end
  local parts = {}
  for i = 1, v.n or #v do parts[#parts + 1] = show(v[i]) end
  if v.log then parts[#parts + 1] = "log=" .. show(v.log) end
  return "{" .. table.concat(parts, ", ") .. "}"
end

-- One outcome: { ok, value } where value is the packed results (plus a gsub log) or the error.
local function outcome(r, case)
  local args = pack(unpack(case, 2, case.n))
  local log = {}
  if case.maker then args[3] = makers[case.maker](log) end
  local ok, res = pcall(r[case[1]], unpack(args, 1, args.n))
  if ok and case.maker then res.log = log end
  return ok, res
end

local stats = { cases = 0, mismatches = 0, wording = 0, errors = 0 }
local reported = 0

local function report(kind, case, ok1, r1, ok2, r2)
  reported = reported + 1
  if reported > 40 then return end
  local args = {}
  for i = 2, case.n do args[#args + 1] = show(case[i]) end
  print(string.format("%s: %s(%s)%s\n  lua:  %s %s\n  ours: %s %s", kind, case[1], table.concat(args, ", "),
    case.maker and (" repl=" .. case.maker) or "", tostring(ok1), show(r1), tostring(ok2), show(r2)))
end

local function compare(case)
  case.n = case.n or #case
  stats.cases = stats.cases + 1
  local ok1, r1 = outcome(RO, case)
  local ok2, r2 = outcome(RM, case)
  if not ok1 then stats.errors = stats.errors + 1 end
  if ok1 ~= ok2 then
    stats.mismatches = stats.mismatches + 1
    report("MISMATCH", case, ok1, r1, ok2, r2)
  elseif ok1 then
    if not same(r1, r2) then
      stats.mismatches = stats.mismatches + 1
      report("MISMATCH", case, ok1, r1, ok2, r2)
    end
  elseif r1 ~= r2 then
    stats.wording = stats.wording + 1
    report("error wording differs", case, ok1, r1, ok2, r2)
  end
end

-- Runs a case with every operation that accepts its arguments.
local function all_ops(s, p, init)
  compare({ "find", s, p, init, n = 4 })
  compare({ "find", s, p, init, true, n = 5 })
  compare({ "match", s, p, init, n = 4 })
  compare({ "gmatch", s, p, init, n = 4 })
  compare({ "gsub", s, p, "<%0>", n = 4 })
end

-- MARK: - Hand-written cases

local hi = "\200\201\255caf\195\169 \128x"
local tricky = {
  -- { subject, pattern [, init] }: run through every operation
  { "", "" }, { "", "a" }, { "", ".*" }, { "", "^$" }, { "", "$" }, { "", "()" }, { "", "a*" }, { "a", "" },
  { "abc", "" }, { "abc", "^" }, { "abc", "$" }, { "abc", "^abc$" }, { "abc", "b", -1 }, { "abc", "b", -2 },
  { "abc", "b", -100 }, { "abc", "", 3 }, { "abc", "", 4 }, { "abc", "", 5 }, { "abc", "", 100 }, { "abc", "c", 0 },
  { "abc", "()", 4 }, { "abc", "", math.maxinteger }, { "abc", "", math.mininteger }, { "abc", "x*", -1 },
  { "hello world", "o" }, { "hello world", "o", 6 }, { "hello world", "l+" }, { "hello world", "(l)(l)" },
  { "hello world", "(h)(e)(l)(l)(o)" }, { "hello", "()ll()" }, { "flaaap", "()aa()" }, { "abc", "%w*" },
  { "abc", "%w-" }, { "abc", "%w?" }, { "abc", "%w+" }, { "a.b.c", "." }, { "a.b.c", "%." }, { "a+b", "a+b" },
  { "a+b", "a%+b" }, { "THE (quick) fox", "%f[%a]%a+" }, { "THE (quick) fox", "%f[%w]%w+" },
  { "THE (quick) fox", "%f[%W]" }, { "hello", "%f[%l]" }, { "hello", "%f[%z]" }, { "x", "%f[%z]" },
  { "a(b(c)d)e", "%b()" }, { "a(b(c)d", "%b()" }, { "((x)", "%b()" }, { "xaxbx", "%bxx" }, { "[[]]", "%b[]" },
  { "abcabc", "(abc)%1" }, { "abcab", "(abc)%1" }, { "aa bb cd", "(%a)%1" }, { "x=x y=z", "(%a)=%1" },
  { "abab", "(a)(b)%2" }, { "aaa", "()a%1" }, { "aaa", "(a*(.)%w(%s*))" },
  { "  trim me  ", "^%s*(.-)%s*$" }, { "key = value", "^(%w+)%s*=%s*(%w+)$" }, { "2024-01-05", "(%d+)-(%d+)-(%d+)" },
  { "a]b", "[]]" }, { "a]b^", "[^]]" }, { "a-b", "[a-]" }, { "a-b", "[-a]" }, { "a-b", "[%-]" }, { "a^b", "[b^]" },
  { "abc123_", "[%a_]+" }, { "abc123_", "[^%d]+" }, { "x%y", "[%%]" }, { "a]", "[%]]" }, { "dog", "[c-e]" },
  { "DOG", "[c-e]" }, { "z", "[a-]" }, { "\0a\0", "%z" }, { "\0a\0", "%Z+" }, { "\0a\0", "[%z]" }, { "a\0b", "\0" },
  { "a\0b", "[\0]" }, { "a\0b", "%\0" }, { "a\0b", ".\0." }, { "a\0b", "a\0b", 1 }, { hi, "[\128-\255]+" },
  { hi, "\195\169" }, { hi, "[^\128-\255]+" }, { hi, "%a+" }, { hi, "%g+" }, { hi, "%G+" }, { hi, "%c" },
  { "tab\tnl\nsp ", "%s" }, { "tab\tnl\nsp ", "%c" }, { "a,b;c.d", "%p" }, { "AbC", "%u" }, { "AbC", "%l+" },
  { "0x1F", "%x+" }, { "ab", "%q" }, { "aQ", "%Q" }, { "$x$", "$" }, { "$x$", "$x" }, { "$x$", "x$" },
  { "a$b", "a$b" }, { "a^b", "a^b" }, { "^^", "^^" }, { "x", "x$*" }, { "abc", "a?b?c?d?" }, { "aaab", "a-b" },
  { "aaab", "a*ab" }, { "aaab", "a+ab" }, { "aaa", "a-$" }, { "ab", "(a)(b)()" }, { "ab", "(a(b))" },
  { "abc", "((a)(b)(c))" }, { "abc", "%f[%w]*" }, { "a(b)", "%b()*" }, { "aa", "(a)%1*" },
  -- errors
  { "abc", "%" }, { "abc", "a%" }, { "xabc", "x%" }, { "abc", "[a" }, { "abc", "[" }, { "abc", "[^" }, { "abc", "[%" },
  { "abc", "[a%]" }, { "abc", "x[" }, { "xabc", "x[" }, { "abc", "(" }, { "abc", "(a" }, { "abc", "a)" }, { "abc", ")" },
  { "abc", "%1" }, { "abc", "(a)%2" }, { "abc", "(a%1)" }, { "abc", "%0" }, { "abc", "%b" }, { "abc", "%ba" },
  { "xbc", "x%b" }, { "abc", "%bx" }, { "abc", "%f" }, { "abc", "%fa" }, { "abc", "%f[a" }, { "abc", "()%1" },
  { "abc", "(()" }, { "abc", "())" },
  { string.rep("a", 250), string.rep("a?", 199) }, { string.rep("a", 250), string.rep("a?", 200) },
  { string.rep("a", 250), string.rep("(a)", 33) }, { string.rep("a", 40), string.rep("(a)", 32) },
  { "x", string.rep("()", 32) }, { "x", string.rep("()", 33) }, { "x", string.rep("(", 32) .. string.rep(")", 32) },
  { "x", string.rep("(", 33) .. string.rep(")", 33) }, { "b", string.rep("a-", 150) .. "b" }, { "b", string.rep("a-", 250) .. "b" },
  { string.rep("a", 300), "(" .. string.rep("a?", 100) .. ")" }, { string.rep("ab", 200), "(a(b)%2)*" },
}
for _, t in ipairs(tricky) do all_ops(t[1], t[2], t[3]) end

local explicit = {
  -- argument handling
  { "find" }, { "find", "abc" }, { "find", nil, "a" }, { "find", {}, "a" }, { "find", "abc", {} }, { "find", 12345, 3 },
  { "find", 1.5, "%." }, { "find", "abc", "b", "2" }, { "find", "abc", "b", "x" }, { "find", "abc", "b", 1.5 },
  { "find", "abc", "b", 2.0 }, { "find", "abc", "b", false }, { "find", "abc", "b", nil, nil }, { "find", "a.c", ".", 1, 1 },
  { "find", "a.c", ".", 1, {} }, { "find", "a.c", ".", 1, false }, { "find", "a.c", "", 10, true },
  { "find", "a.c", "", 4, true }, { "find", "a.c", ".c", -2, true }, { "find", "abc", "abcd", 1, true },
  { "find", "a[b", "[", 1, true }, { "find", "a%b", "%", 1, true }, { "find", "a\0b\0c", "b\0c", 1, true },
  { "find", "a\0b\0c", "\0", 3, true }, { "find", "a]b", "]" }, { "find", "abc", "bc", 2 },
  { "match" }, { "match", "abc" }, { "match", "abc", "b", "x" }, { "match", "abc", "b", 1, true }, { "match", 42, "%d" },
  { "gmatch" }, { "gmatch", "abc" }, { "gmatch", "abc", ".", "x" }, { "gmatch", "abc", ".", 1.5 }, { "gmatch", 123, "%d" },
  { "gmatch", "abc", ".", 2 }, { "gmatch", "abc", ".", -1 }, { "gmatch", "abc", ".", 10 }, { "gmatch", "abc", "", 4 },
  { "gmatch", "abc", "", 5 }, { "gmatch", "^a^a", "^a" }, { "gmatch", "abc", "^" }, { "gmatch", "abc", "$" },
  { "gmatch", "abc", "%w*" }, { "gmatch", "a,b,,c", "([^,]*)" }, { "gmatch", "k=v, a=b", "(%w+)=(%w+)" },
  { "gmatch", "abc", "()" }, { "gmatch", "abc", "(a" }, { "gmatch", "abc", "[" },
  { "gsub" }, { "gsub", "abc" }, { "gsub", "abc", "b" }, { "gsub", "abc", "b", nil }, { "gsub", "abc", "b", true },
  { "gsub", "x", "x", nil, "a" }, { "gsub", "x", "x", "y", 1.5 }, { "gsub", "x", "x", "y", "1" }, { "gsub", "x", "x", "y", -1 },
  { "gsub", "xxx", "x", "y", 0 }, { "gsub", "xxx", "x", "y", 2 }, { "gsub", "xxx", "x", "y", 2.0 },
  { "gsub", "xxx", "x", "y", math.maxinteger }, { "gsub", "xxx", "x", "y", math.mininteger },
  { "gsub", "abc", "%w*", "-" }, { "gsub", "abc", "%w-", "-" }, { "gsub", "abc", "", "-" }, { "gsub", "abc", "^", "-" },
  { "gsub", "abc", "$", "-" }, { "gsub", "abc", "^$", "-" }, { "gsub", "", "", "-" }, { "gsub", "", "^", "-" },
  { "gsub", "abc", "^a", "-" }, { "gsub", "aaa", "^a", "-" }, { "gsub", "hello world", "%w+", "%0 %0" },
  { "gsub", "hello world", "%w+", "%0 %0", 1 }, { "gsub", "hello world", "(%w+)", "%1 %1" },
  { "gsub", "hello world", "(%w+) (%w+)", "%2 %1" }, { "gsub", "abc", "b", "%%" }, { "gsub", "abc", "b", "%%%%" },
  { "gsub", "abc", "b", "%" }, { "gsub", "abc", "b", "x%" }, { "gsub", "abc", "b", "%x" }, { "gsub", "abc", "b", "%a" },
  { "gsub", "abc", "b", "%1" }, { "gsub", "abc", "b", "%2" }, { "gsub", "abc", "(b)", "%2" }, { "gsub", "abc", "(b)", "%9" },
  { "gsub", "abc", "(b)", "%0%1" }, { "gsub", "abc", "()b()", "%1-%2" }, { "gsub", "x", "(x)()", "%2%1" },
  { "gsub", "abc", "(b", "%1" }, { "gsub", "abc", "(b", "x" }, { "gsub", "abc", "(b", "%0" }, { "gsub", "abc", "b", "\0%0\0" },
  { "gsub", "abc", "b", 7 }, { "gsub", "abc", "b", 1.5 }, { "gsub", "abc", "b", -0.0 }, { "gsub", "abc", "b", 2^63 },
  { "gsub", "abc", "b", math.mininteger }, { "gsub", 12321, 2, 9 }, { "gsub", "abc", "b", "%\0" }, { "gsub", hi, "[\128-\255]", "?" },
  { "gsub", "a,b,,c", ",", ";", 2 }, { "gsub", "abc", ".", { a = 1, b = true } }, { "gsub", "abc", ".", { a = {} } },
  { "gsub", "abc", "%w+", { abc = 1.0 } }, { "gsub", "abc", "%w+", { abc = math.mininteger } },
}
for _, t in ipairs(explicit) do
  t.n = 0
  for i = 1, 6 do if t[i] ~= nil then t.n = i end end
  compare(t)
end

-- gsub with function and table replacements (captures as arguments/keys, including positions)
local repl_subjects = { "", "abc", "a b c", "abab", "x1y22z333", "hello world from lua", "a(b)c", hi }
local repl_patterns = { "", ".", "%w+", "(%w+)", "(%w)(%w*)", "()", "()(%w)()", "(%w+)()", "%s*", "(a)", "b*", "^%w+",
  "(", "(b", "%d+", "(%d)(%d?)", "x*$", "[\128-\255]" }
for _, s in ipairs(repl_subjects) do
  for _, p in ipairs(repl_patterns) do
    for _, m in ipairs(maker_names) do
      compare({ "gsub", s, p, false, n = 3, maker = m })
      compare({ "gsub", s, p, false, 2, n = 4, maker = m })
    end
  end
end
local hand_cases = stats.cases
print(string.format("hand-written cases: %d compared", hand_cases))

-- MARK: - Random cases

math.randomseed(20240105)
local random = math.random
local function pick(list) return list[random(#list)] end

local atoms = { "a", "a", "b", "b", "x", ".", "%a", "%d", "%w", "%s", "%p", "%A", "%S", "%W", "%x", "%z", "%g", "%G", "%l",
  "%u", "%c", "%%", "%.", "%]", "%-", "%(", "[ab]", "[^a]", "[a-c]", "[%a_]", "[]]", "[^]]", "[a-]", "[-a]", "[%d%s]",
  "[^%w]", "[%]]", "[\128-\255]", " ", "1", "\0", "\200", "(", ")", "()", "(", ")", "%1", "%2", "%b()", "%bab", "%bxx",
  "%f[%w]", "%f[a]", "%f[^%s]", "%f[%z]", "%f[%W]", "$", "^", "[", "%", "]", "-", "*", "+", "?", "%0", "%f", "%b", "%q",
  "%Z", "[a", "[%" }
local quants = { "", "", "", "", "*", "+", "-", "?" }
local chars = { "a", "a", "a", "b", "b", "x", "(", ")", "1", "2", " ", "%", "\0", "\200", "-", "]", "^", "$", "." }
local inits = { "none", "none", "none", 1, 2, 0, -1, -2, -3, -100, 3, 5, 13, 100, math.maxinteger, math.mininteger }
local repls = { "x", "%0", "%1", "%2", "%%", "-", "", "<%0>", "%1%1", "[%2]", "%3", "%" }

local function random_pattern()
  local parts = {}
  if random(5) == 1 then parts[1] = "^" end
  for _ = 1, random(0, 6) do parts[#parts + 1] = pick(atoms) .. pick(quants) end
  if random(7) == 1 then parts[#parts + 1] = "$" end
  return table.concat(parts)
end

local function random_subject(max)
  local t = {}
  for i = 1, random(0, max) do t[i] = pick(chars) end
  return table.concat(t)
end

local function random_repl()
  local r = random(10)
  if r == 1 then return random(0, 99) end
  if r == 2 then return 0.5 end
  local t = {}
  for i = 1, random(0, 3) do t[i] = pick(repls) end
  return table.concat(t)
end

local RANDOM = tonumber(os.getenv("PATTERN_CHECK_RANDOM") or "25000")
for _ = 1, RANDOM do
  local s, p = random_subject(12), random_pattern()
  local init = inits[random(#inits)]
  if init == "none" then init = nil end
  compare({ "find", s, p, init, random(6) == 1 or nil, n = 5 })
  compare({ "match", s, p, init, n = 4 })
  compare({ "gmatch", s, p, init, n = 4 })
  local max = random(4) == 1 and random(-1, 3) or nil
  if random(4) == 1 then
    compare({ "gsub", s, p, false, max, n = 4, maker = pick(maker_names) })
  else
    compare({ "gsub", s, p, random_repl(), max, n = 4 })
  end
end
-- Longer subjects over {a, b} with backtracking-heavy patterns
local heavy = { "a", "b", ".", "(a)", "(.)", "%1", "[ab]", "(a*)", "(.-)", "%b()", "%bab" }
for _ = 1, RANDOM // 10 do
  local t = {}
  for i = 1, random(0, 60) do t[i] = random(3) == 1 and "b" or "a" end
  local s = table.concat(t)
  local parts = {}
  for i = 1, random(1, 5) do parts[i] = pick(heavy) .. pick(quants) end
  local p = table.concat(parts)
  compare({ "find", s, p, n = 3 })
  compare({ "gsub", s, p, "<%0>", n = 4 })
  compare({ "gmatch", s, p, n = 3 })
end
print(string.format("random cases: %d compared", stats.cases - hand_cases))
print(string.format("total: %d cases compared (%d of them raise errors), %d result mismatches, %d error-wording differences",
  stats.cases, stats.errors, stats.mismatches, stats.wording))
failures = failures + stats.mismatches + stats.wording
if os.getenv("PATTERN_CHECK_QUICK") then return failures end  -- differential part only

-- MARK: - Kill

local catastrophic_s, catastrophic_p = string.rep("a", 5000), ".-.-.-.-.-.-b"
local function expect_killed(label, f, ...)
  check.timing(true)
  local t0 = check.now()
  local ok, err = pcall(f, ...)
  local dt = check.now() - t0
  -- luaL_error prefixes the position of the caller when it is Lua code (the for loop of gmatch)
  local good = not ok and tostring(err):find("killed$") ~= nil
  print(string.format("kill %-44s %s after %.3f s, %6d polls, largest gap between polls %4.0f us", label,
    good and "stopped" or "NOT STOPPED (" .. tostring(err) .. ")", dt, check.polls(), check.max_gap() * 1e6))
  if not good then failures = failures + 1 end
  check.reset()
  return dt
end

check.reset()
check.kill_after_polls(50)
expect_killed("find, after 50 polls:", M.find, catastrophic_s, catastrophic_p)
check.reset()
check.kill_after_ms(100)
expect_killed("find, 100 ms timer:", M.find, catastrophic_s, catastrophic_p)
check.kill_after_ms(100)
expect_killed("match, 100 ms timer:", M.match, catastrophic_s, "(.-)(.-)(.-)(.-)(.-)(.-)b")
check.kill_after_ms(100)
expect_killed("gsub, 100 ms timer:", M.gsub, catastrophic_s, catastrophic_p, "x")
check.kill_after_ms(100)
expect_killed("gmatch, 100 ms timer:", function() for _ in M.gmatch(catastrophic_s, catastrophic_p) do end end)
check.kill_after_ms(100)
expect_killed("find plain (2 MB worst case), 100 ms timer:", M.find, string.rep("a", 2000000), string.rep("a", 50000) .. "b", 1, true)
check.kill_after_ms(100)
expect_killed("back-references, 100 ms timer:", M.find, string.rep("a", 100000), "(.*)%1%1%1b")
check.kill_after_ms(100)
expect_killed("gsub function repl, 100 ms timer:", M.gsub, catastrophic_s, ".-.-.-.-b", function() end)
local after = pack(M.find("state still usable", "(%a+)$"))
print(string.format("after kills: find -> %s, %s, %s", after[1], after[2], after[3]))
if after[3] ~= "usable" then failures = failures + 1 end

-- How long Lua's own matcher needs: timed on small subjects, then extrapolated (it is O(n^7)).
print("Lua's own find(string.rep('a', n), '" .. catastrophic_p .. "') vs ours (no kill):")
local last
for _, n in ipairs({ 10, 20, 40 }) do
  local s = string.rep("a", n)
  local t0 = check.now(); O.find(s, catastrophic_p); local to = check.now() - t0
  t0 = check.now(); M.find(s, catastrophic_p); local tm = check.now() - t0
  print(string.format("  n=%3d  lua %.4f s  ours %.4f s", n, to, tm))
  last = { n = n, t = to }
end
local years = last.t * (5000 / last.n) ^ 7 / (3600 * 24 * 365)
print(string.format("  extrapolated for n=5000: ~%.0e years", years))
local finished, dt = check.run_child(function() O.find(catastrophic_s, catastrophic_p) end, 3)
print(string.format("  Lua's own find on n=5000 in a child process: %s after %.1f s",
  finished and "finished" or "still running, killed by SIGALRM", dt))

-- MARK: - Speed

local function timeit(f, iters)
  local best = math.huge
  for _ = 1, 5 do
    local t0 = os.clock()
    for _ = 1, iters do f() end
    best = math.min(best, os.clock() - t0)
  end
  return best
end

local text = string.rep("lorem ipsum dolor sit amet ", 38)  -- ~1 KB
local digits = string.rep("abcdefghij", 100) .. "12345"
local benches = {
  { "find('%d+') over 1 KB", function(I) return I.find(digits, "%d+") end, 20000 },
  { "gsub('%w+', '<%0>') over 1 KB", function(I) return I.gsub(text, "%w+", "<%0>") end, 2000 },
  { "gsub('%w+', string.upper) over 1 KB", function(I) return I.gsub(text, "%w+", string.upper) end, 2000 },
  { "gsub('%s+', ' ') over 1 KB", function(I) return I.gsub(text, "%s+", " ") end, 5000 },
  { "gmatch('%a+') over 1 KB", function(I) local n = 0 for _ in I.gmatch(text, "%a+") do n = n + 1 end return n end, 2000 },
  { "match key = value", function(I) return I.match("key_name = some value  ", "^(%w+)%s*=%s*(.-)%s*$") end, 200000 },
  { "find plain, not found, 1 KB", function(I) return I.find(text, "amet x", 1, true) end, 50000 },
  { "find('.-.-b') on 60 a's (backtracking)", function(I) return I.find(string.rep("a", 60), ".-.-b") end, 200 },
  { "find('[%w_]+%.lua$') short", function(I) return I.find("src/module/file_name.lua", "[%w_]+%.lua$") end, 200000 },
}
print("speed (best of 5, CPU seconds; ratio = ours / Lua's):")
for _, b in ipairs(benches) do
  local name, f, iters = b[1], b[2], b[3]
  assert(same(pack(f(O)), pack(f(M))), name)
  local to = timeit(function() f(O) end, iters)
  local tm = timeit(function() f(M) end, iters)
  print(string.format("  %-42s lua %.4f  ours %.4f  ratio %.2f", name, to, tm, tm / to))
end

return failures
