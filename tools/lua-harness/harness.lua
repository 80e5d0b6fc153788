#!/usr/bin/env lua5.4
-- A dev-only harness for Strata strategy scripts, in plain Lua 5.4.
--
-- It imitates the host closely enough to catch script bugs early: the sandbox's allow-listed
-- globals (reads of unknown globals and writes of non-hook globals fail), a read-only `config`
-- built from CONFIG_SCHEMA defaults, a read-only fake `context` with a paper broker (market orders
-- fill at the tick price; limit orders rest until the price crosses them), an observe mode whose
-- place_order returns nil, "not allowed: observe mode", a render() that may read but not trade,
-- and rough checks of the widget shapes and of the state's serializability. It is not the host:
-- the real tests run scripts through the Swift engine.
--
-- usage: lua5.4 tools/lua-harness/harness.lua [options] SCRIPT.lua...
--   --data FILE         CSV with header ",Open,High,Low,Close,Volume" (repeatable;
--                       default GOOG.csv and EURUSD.csv in $STRATA_DATA or /work/shared/data)
--   --ticks N           ticks fed from each file (default 2000)
--   --render-every N    render() cadence in ticks (default 500)
--   --set KEY=VALUE     override a config default (repeatable)
--   --change KEY=VALUE  the config change the stress scenario makes at tick 1500 (repeatable;
--                       default: double qty)
--   --only SCENARIO     active | observe | stress (default: all three)
--   -v                  print the strategies' log lines
--   --dump              print the last render() of each "active" run as JSON
--
-- Scenarios: "active" trades on the paper broker with the schema defaults (its trades are the
-- report); "observe" denies every order; "stress" drops volume and OHLC from every third tick,
-- hot-reloads the script at tick 1000 (state kept, on_reload called) and changes the config at
-- tick 1500 (on_config if defined, else init again).
-- Exits non-zero if any run fails; the last line reads "N passed, N failed".

local DATA_DIR = os.getenv("STRATA_DATA") or "/work/shared/data"

-- MARK: options

local opts = { data = {}, ticks = 2000, every = 500, set = {}, change = {}, scripts = {}, verbose = false }
do
  local i = 1
  while i <= #arg do
    local a = arg[i]
    local function value() i = i + 1; return assert(arg[i], "missing value after " .. a) end
    if a == "--data" then opts.data[#opts.data + 1] = value()
    elseif a == "--ticks" then opts.ticks = assert(math.tointeger(tonumber(value())), "--ticks wants an integer")
    elseif a == "--render-every" then opts.every = assert(math.tointeger(tonumber(value())), "--render-every wants an integer")
    elseif a == "--set" then
      local k, v = value():match("^([%w_]+)=(.*)$")
      opts.set[assert(k, "--set wants KEY=VALUE")] = v
    elseif a == "--change" then
      local k, v = value():match("^([%w_]+)=(.*)$")
      opts.change[assert(k, "--change wants KEY=VALUE")] = v
    elseif a == "--only" then opts.only = value()
    elseif a == "-v" then opts.verbose = true
    elseif a == "--dump" then opts.dump = true
    elseif a:sub(1, 1) == "-" then error("unknown option " .. a)
    else opts.scripts[#opts.scripts + 1] = a end
    i = i + 1
  end
  if #opts.data == 0 then opts.data = { DATA_DIR .. "/GOOG.csv", DATA_DIR .. "/EURUSD.csv" } end
  if #opts.scripts == 0 then
    io.stderr:write("usage: lua5.4 harness.lua [--data CSV]... [--ticks N] [--set K=V]... SCRIPT.lua...\n")
    os.exit(2)
  end
end

-- MARK: data

local function days_from_civil(y, m, d) -- Hinnant's algorithm; UTC, no time zone involved
  y = m <= 2 and y - 1 or y
  local era = y // 400
  local yoe = y - era * 400
  local doy = (153 * (m > 2 and m - 3 or m + 9) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

local function load_csv(path, limit)
  local f = assert(io.open(path, "r"))
  local header = f:read("l")
  assert(header and header:match("^,Open,High,Low,Close,Volume"), path .. ": unexpected header " .. tostring(header))
  local rows = {}
  for line in f:lines() do
    if #rows >= limit then break end
    local date, o, h, l, c, v = line:match("^([^,]*),([^,]*),([^,]*),([^,]*),([^,]*),([^,]*)")
    local y, mo, d = date:match("^(%d+)-(%d+)-(%d+)")
    local hh, mi, ss = date:match("(%d+):(%d+):(%d+)$")
    local ts = days_from_civil(tonumber(y), tonumber(mo), tonumber(d)) * 86400
      + (tonumber(hh) or 0) * 3600 + (tonumber(mi) or 0) * 60 + (tonumber(ss) or 0)
    rows[#rows + 1] = { ts = ts, open = tonumber(o), high = tonumber(h), low = tonumber(l),
                        close = tonumber(c), volume = tonumber(v) }
  end
  f:close()
  return rows
end

-- MARK: value checks

local function finite(x) return type(x) == "number" and x == x and x ~= math.huge and x ~= -math.huge end

-- Walks a value as the host's JSON encoder would: plain tables that are either arrays (keys
-- 1..n) or string-keyed maps (an empty table counts as an array), finite numbers, strings,
-- booleans; no functions, userdata, threads, metatables or cycles. Returns nil or an error,
-- and the number of leaves (to see that state stays bounded).
local function check_plain(v, path, seen, count)
  local t = type(v)
  if t == "number" then
    if not finite(v) then return path .. ": non-finite number " .. tostring(v), count end
    return nil, count + 1
  elseif t == "string" or t == "boolean" then return nil, count + 1
  elseif t ~= "table" then return path .. ": " .. t .. " is not serializable", count end
  if seen[v] then return path .. ": cycle or shared table", count end
  if getmetatable(v) ~= nil then return path .. ": table has a metatable", count end
  seen[v] = true
  local n, strings, ints = #v, 0, 0
  for k in pairs(v) do
    if type(k) == "string" then strings = strings + 1
    elseif math.type(k) == "integer" and k >= 1 and k <= n then ints = ints + 1
    else return path .. ": key " .. tostring(k) .. " (" .. type(k) .. ") is neither a string nor an array index", count end
  end
  if strings > 0 and ints > 0 then return path .. ": mixes array and map keys", count end
  if ints ~= n then return path .. ": sparse array", count end
  for k, x in pairs(v) do
    local err
    err, count = check_plain(x, path .. "." .. tostring(k), seen, count)
    if err then return err, count end
  end
  return nil, count
end

local function is_array(t) return type(t) == "table" and (next(t) == nil or #t > 0) and rawlen(t) == #t end

-- Rough widget shapes (the real ones are the JSON Schemas in schemas/).
local WIDGET = {
  line_chart = function(w)
    if not is_array(w.series) or #w.series == 0 then return "series must be a non-empty array" end
    for i, s in ipairs(w.series) do
      if type(s.name) ~= "string" then return "series[" .. i .. "].name must be a string" end
      if not is_array(s.data) then return "series[" .. i .. "].data must be an array" end
      for j, p in ipairs(s.data) do
        if not (finite(p) or (type(p) == "table" and finite(p.t) and finite(p.v))) then
          return "series[" .. i .. "].data[" .. j .. "] is neither a number nor {t, v}"
        end
      end
    end
  end,
  candles = function(w)
    if not is_array(w.data) then return "data must be an array" end
    for j, c in ipairs(w.data) do
      if not (finite(c.t) and finite(c.o) and finite(c.h) and finite(c.l) and finite(c.c)) then
        return "data[" .. j .. "] needs numbers t, o, h, l, c"
      end
      if c.v ~= nil and not finite(c.v) then return "data[" .. j .. "].v must be a number" end
      if c.l > math.min(c.o, c.c) or c.h < math.max(c.o, c.c) then return "data[" .. j .. "] has low/high outside open/close" end
    end
  end,
  metric = function(w)
    if type(w.label) ~= "string" then return "label must be a string" end
    if not (finite(w.value) or type(w.value) == "string") then return "value must be a number or a string" end
    if w.unit ~= nil and type(w.unit) ~= "string" then return "unit must be a string" end
  end,
  table = function(w)
    if not is_array(w.columns) or #w.columns == 0 then return "columns must be a non-empty array" end
    for _, c in ipairs(w.columns) do if type(c) ~= "string" then return "columns must be strings" end end
    if not is_array(w.rows) then return "rows must be an array" end
    for j, r in ipairs(w.rows) do
      if not is_array(r) or #r ~= #w.columns then return "rows[" .. j .. "] must have " .. #w.columns .. " cells" end
      for _, c in ipairs(r) do
        if not (type(c) == "string" or finite(c) or type(c) == "boolean") then return "rows[" .. j .. "] has a bad cell" end
      end
    end
  end,
  text = function(w) if type(w.text) ~= "string" then return "text must be a string" end end,
  log = function(w)
    if not is_array(w.lines) then return "lines must be an array" end
    for _, l in ipairs(w.lines) do if type(l) ~= "string" then return "lines must be strings" end end
  end,
}

-- Keys each widget may have (the schemas allow no others).
local WIDGET_KEYS = {
  line_chart = { "type", "id", "title", "y_label", "series" },
  candles = { "type", "id", "title", "data" },
  metric = { "type", "id", "label", "value", "unit" },
  table = { "type", "id", "title", "columns", "rows" },
  text = { "type", "id", "title", "text" },
  log = { "type", "id", "title", "lines" },
}

local function check_render(out)
  if type(out) ~= "table" or not is_array(out.widgets) then return "render() must return { widgets = {...} }" end
  local err = check_plain(out, "render()", {}, 0)
  if err then return err end
  local kinds = {}
  for i, w in ipairs(out.widgets) do
    local check = WIDGET[w.type]
    if not check then return "widgets[" .. i .. "]: unknown type " .. tostring(w.type) end
    local allowed = {}
    for _, k in ipairs(WIDGET_KEYS[w.type]) do allowed[k] = true end
    for k in pairs(w) do
      if not allowed[k] then return "widgets[" .. i .. "] (" .. w.type .. "): unexpected key " .. tostring(k) end
    end
    if w.title ~= nil and type(w.title) ~= "string" then return "widgets[" .. i .. "].title must be a string" end
    if w.id ~= nil and type(w.id) ~= "string" then return "widgets[" .. i .. "].id must be a string" end
    local e = check(w)
    if e then return "widgets[" .. i .. "] (" .. w.type .. "): " .. e end
    kinds[w.type] = (kinds[w.type] or 0) + 1
  end
  return nil, kinds
end

-- Compact JSON for --dump (values already passed check_plain).
local function to_json(v)
  local t = type(v)
  if t == "string" then
    return '"' .. v:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
  elseif t ~= "table" then return tostring(v) end
  local parts = {}
  if next(v) == nil or #v > 0 then
    for _, x in ipairs(v) do parts[#parts + 1] = to_json(x) end
    return "[" .. table.concat(parts, ",") .. "]"
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do parts[#parts + 1] = to_json(k) .. ":" .. to_json(v[k]) end
  return "{" .. table.concat(parts, ",") .. "}"
end

-- MARK: config

local TYPES = { float = true, number = true, integer = true, boolean = true, string = true, enum = true }

local function build_config(schema, overrides)
  if type(schema) ~= "table" then return nil, "CONFIG_SCHEMA must be a table" end
  local cfg, warnings = {}, {}
  for name, f in pairs(schema) do
    local function bad(msg) return nil, "CONFIG_SCHEMA." .. tostring(name) .. ": " .. msg end
    if type(name) ~= "string" or type(f) ~= "table" then return bad("must be a table keyed by name") end
    if not TYPES[f.type] then return bad("unknown type " .. tostring(f.type)) end
    local d = f.default
    if d == nil then return bad("default is required") end
    if f.type == "integer" and math.type(d) ~= "integer" then return bad("default must be an integer") end
    if (f.type == "float" or f.type == "number") and not finite(d) then return bad("default must be a number") end
    if f.type == "boolean" and type(d) ~= "boolean" then return bad("default must be a boolean") end
    if f.type == "string" and type(d) ~= "string" then return bad("default must be a string") end
    if f.type == "enum" then
      if not is_array(f.values) or #f.values == 0 then return bad("enum needs values") end
      local found = false
      for _, v in ipairs(f.values) do found = found or v == d end
      if not found then return bad("default is not one of values") end
    end
    if f.min ~= nil and (not finite(f.min) or (finite(d) and d < f.min)) then return bad("default below min") end
    if f.max ~= nil and (not finite(f.max) or (finite(d) and d > f.max)) then return bad("default above max") end
    if type(f.label) ~= "string" then warnings[#warnings + 1] = name .. " has no label" end
    if type(f.description) ~= "string" then warnings[#warnings + 1] = name .. " has no description" end
    local v = d
    if overrides[name] ~= nil then
      local s = overrides[name]
      if f.type == "integer" then v = math.tointeger(tonumber(s))
      elseif f.type == "float" or f.type == "number" then v = tonumber(s)
      elseif f.type == "boolean" then
        if s == "true" then v = true elseif s == "false" then v = false else v = nil end
      else v = s end
      if v == nil then return bad("bad override " .. s) end
    end
    cfg[name] = v
  end
  for k in pairs(overrides) do if schema[k] == nil then return nil, "config field " .. k .. ": not in CONFIG_SCHEMA" end end
  return cfg, warnings
end

local function readonly(t, what)
  return setmetatable({}, {
    __index = t,
    __newindex = function(_, k) error(("attempt to modify read-only %s (field '%s')"):format(what, tostring(k)), 2) end,
    __pairs = function() return next, t, nil end,
    __len = function() return #t end,
    __metatable = false,
  })
end

-- MARK: paper broker and context

local MAX_ORDERS_PER_CALL = 100

local function new_broker(market, observe)
  local b = { market = market, observe = observe, pos = 0, cash = 0, price = 0, now = 0,
              open = {}, next_id = 1, placed = 0, fills = 0, buys = 0, sells = 0, denied = 0,
              logs = {}, phase = "init", per_call = 0 }

  local function fill(o, price)
    local signed = o.side == "buy" and o.qty or -o.qty
    b.pos = b.pos + signed
    b.cash = b.cash - signed * price
    o.status, o.filled_qty, o.avg_price = "filled", o.qty, price
    b.fills = b.fills + 1
    if o.side == "buy" then b.buys = b.buys + 1 else b.sells = b.sells + 1 end
  end

  function b.on_price(price, ts) -- new tick: move the clock, fill limit orders the price crossed
    b.price, b.now = price, ts
    for id, o in pairs(b.open) do
      if (o.side == "buy" and price <= o.price) or (o.side == "sell" and price >= o.price) then
        fill(o, o.price)
        b.open[id] = nil
      end
    end
  end

  local function badarg(msg) error("bad argument #1 to 'place_order' (" .. msg .. ")", 3) end

  local api = {}
  function api.get_price() return b.price end
  function api.get_position() return b.pos end
  function api.get_pnl() return b.cash + b.pos * b.price end
  function api.get_balance(asset)
    if type(asset) ~= "string" then error("bad argument #1 to 'get_balance' (string expected, got " .. type(asset) .. ")", 2) end
    if asset == market then return b.pos end
    if asset == "USD" then return 100000 + b.cash end
    return 0
  end
  function api.now() return b.now end
  function api.log(msg)
    b.logs[#b.logs + 1] = tostring(msg)
    if opts.verbose then print("    | " .. tostring(msg)) end
  end
  function api.get_orders()
    local out = {}
    for _, o in pairs(b.open) do
      out[#out + 1] = { id = o.id, side = o.side, qty = o.qty, type = o.type, price = o.price, status = o.status, tag = o.tag }
    end
    return out
  end
  function api.cancel_order(id)
    if b.phase == "render" then error("cancel_order: render() cannot trade", 2) end
    if b.open[id] then b.open[id].status = "cancelled"; b.open[id] = nil; return true end
    return nil, "no open order " .. tostring(id)
  end
  function api.place_order(o)
    if b.phase == "render" then error("place_order: render() cannot trade", 2) end
    if type(o) ~= "table" then badarg("table expected, got " .. type(o)) end
    if o.side ~= "buy" and o.side ~= "sell" then badarg("side must be 'buy' or 'sell', got " .. tostring(o.side)) end
    if type(o.qty) ~= "number" then badarg("qty: number expected, got " .. type(o.qty)) end
    if not finite(o.qty) or o.qty <= 0 or o.qty < 2.2250738585072014e-308 or o.qty > 1e12 then
      badarg("qty must be a finite positive number, got " .. tostring(o.qty))
    end
    local kind = o.type or "market"
    if kind ~= "market" and kind ~= "limit" then badarg("type must be 'market' or 'limit'") end
    if kind == "limit" and not (finite(o.price) and o.price > 0) then badarg("limit order needs a positive price") end
    if o.tag ~= nil and type(o.tag) ~= "string" then badarg("tag must be a string") end
    b.per_call = b.per_call + 1
    if b.per_call > MAX_ORDERS_PER_CALL then error("place_order: more than " .. MAX_ORDERS_PER_CALL .. " orders in one call", 2) end
    b.placed = b.placed + 1
    if b.observe then b.denied = b.denied + 1; return nil, "not allowed: observe mode" end
    local order = { id = "o" .. b.next_id, side = o.side, qty = o.qty, type = kind, price = o.price,
                    tag = o.tag, status = "open" }
    b.next_id = b.next_id + 1
    if kind == "market" or (o.side == "buy" and b.price <= o.price) or (o.side == "sell" and b.price >= o.price) then
      fill(order, b.price)
    else
      b.open[order.id] = order
    end
    return { id = order.id, side = order.side, qty = order.qty, type = order.type, price = order.price or order.avg_price,
             status = order.status, tag = order.tag }
  end
  api.identity = readonly({ id = "harness-1", strategy_type = "?", account = "paper", market = market }, "context.identity")
  b.context = readonly(api, "context")
  return b
end

-- MARK: sandbox

local SAFE_BASE = { "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal",
                    "rawget", "rawlen", "rawset", "select", "setmetatable", "tonumber", "tostring", "type",
                    "xpcall", "_VERSION" }
local LIBS = { "string", "table", "math", "utf8", "coroutine" }
local HOST_OWNED = { context = true, config = true, state = true }
local SCRIPT_GLOBALS = { CONFIG_SCHEMA = true, init = true, on_tick = true, render = true,
                         on_config = true, on_reload = true }

local function new_env(broker, violations)
  local env = {}
  for _, k in ipairs(SAFE_BASE) do env[k] = _G[k] end
  for _, k in ipairs(LIBS) do env[k] = readonly(_G[k], k) end
  env.print = function(...)
    local parts = table.pack(...)
    for i = 1, parts.n do parts[i] = tostring(parts[i]) end
    broker.context.log(table.concat(parts, "\t"))
  end
  env.warn = env.print
  env.load = function(chunk, name, mode, e) -- text only, and into the sandbox by default
    if mode ~= nil and mode ~= "t" then return nil, "binary chunks are not allowed" end
    return load(chunk, name, "t", e or env)
  end
  env._G = env
  return setmetatable(env, {
    __index = function(_, k)
      if HOST_OWNED[k] or SCRIPT_GLOBALS[k] then return nil end
      error("read of undefined global '" .. tostring(k) .. "'", 2)
    end,
    __newindex = function(t, k, v)
      if SCRIPT_GLOBALS[k] then rawset(t, k, v); return end
      violations[#violations + 1] = "assigns global '" .. tostring(k) .. "'"
      error("assignment to undeclared global '" .. tostring(k) .. "' (keep data in state)", 2)
    end,
  })
end

-- Loads a script; returns the env and its hooks, whichever form the file uses.
local function load_script(src, path, broker, violations)
  local env = new_env(broker, violations)
  rawset(env, "context", broker.context) -- config and state do not exist yet while the chunk runs
  local chunk, err = load(src, "@" .. path, "t", env)
  if not chunk then return nil, "compile: " .. err end
  local ok, ret = xpcall(chunk, debug.traceback)
  if not ok then return nil, "load: " .. tostring(ret) end
  local hooks, form = {}, "globals"
  if type(ret) == "table" then
    form = "returned table"
    for k in pairs(SCRIPT_GLOBALS) do hooks[k] = rawget(ret, k) end
  else
    for k in pairs(SCRIPT_GLOBALS) do hooks[k] = rawget(env, k) end
  end
  for _, k in ipairs({ "init", "on_tick", "render" }) do
    if type(hooks[k]) ~= "function" then return nil, form .. " form: " .. k .. " is not a function" end
  end
  return env, hooks, form
end

-- MARK: one run

local function basename(p) return (p:match("([^/]+)$") or p):gsub("%.%w+$", "") end

local function run(path, src, data_path, rows, scenario)
  local r = { script = basename(path), data = basename(data_path), scenario = scenario, renders = 0,
              widgets = {}, problems = {}, warnings = {} }
  local function problem(msg) r.problems[#r.problems + 1] = msg end
  local broker = new_broker(r.data, scenario == "observe")
  local violations = {}
  local env, hooks, form = load_script(src, path, broker, violations)
  if not env then problem(hooks); return r end
  r.form = form
  local cfg, warnings = build_config(rawget(env, "CONFIG_SCHEMA") or hooks.CONFIG_SCHEMA, opts.set)
  if not cfg then problem(warnings); return r end
  r.warnings = warnings
  local state

  local function inject(e)
    rawset(e, "config", readonly(cfg, "config"))
    rawset(e, "state", state)
  end
  inject(env)

  local function call(name, ...)
    broker.per_call = 0
    broker.phase = name == "render" and "render" or "trade"
    local ok, res = xpcall(hooks[name], debug.traceback, ...)
    if not ok then problem(name .. ": " .. tostring(res)); return false end
    if state ~= nil and rawget(env, "state") ~= state then
      problem(name .. ": replaced the global `state` table (mutate it instead)")
      return false
    end
    return true, res
  end

  local ok, st = call("init")
  if not ok then return r end
  if type(st) ~= "table" then problem("init() must return a table"); return r end
  state = st
  inject(env)
  local err = check_plain(state, "state", {}, 0)
  if err then problem("after init: " .. err) end

  local t0 = os.clock()
  local tick_time = 0
  for n, row in ipairs(rows) do
    broker.on_price(row.close, row.ts)
    local tick = { market = r.data, ts = row.ts, price = row.close, volume = row.volume,
                   open = row.open, high = row.high, low = row.low, close = row.close }
    if scenario == "stress" and n % 3 == 0 then -- a feed that sends only a price
      tick.volume, tick.open, tick.high, tick.low, tick.close = nil, nil, nil, nil, nil
    end
    if scenario == "stress" and n == 1000 then -- hot reload: new chunk, same state
      local new_env_, new_hooks = load_script(src, path, broker, violations)
      if not new_env_ then problem("reload: " .. new_hooks); return r end
      env, hooks = new_env_, new_hooks
      inject(env)
      if hooks.on_reload and not call("on_reload", "harness-v1") then return r end
    end
    if scenario == "stress" and n == 1500 and (next(opts.change) or cfg.qty) then -- config change
      local old = readonly(cfg, "old_config")
      local changes = opts.change
      if next(changes) == nil then changes = { qty = tostring(cfg.qty * 2) } end
      local merged = {}
      for k, v in pairs(opts.set) do merged[k] = v end
      for k, v in pairs(changes) do merged[k] = v end
      local new, e = build_config(rawget(env, "CONFIG_SCHEMA") or hooks.CONFIG_SCHEMA, merged)
      if not new then problem("config change: " .. e); return r end
      cfg = new
      inject(env)
      if hooks.on_config then
        if not call("on_config", old) then return r end
      else
        local ok2, st2 = call("init")
        if not ok2 then return r end
        state = st2
        inject(env)
      end
    end
    local c0 = os.clock()
    if not call("on_tick", tick) then return r end
    tick_time = tick_time + (os.clock() - c0)
    if n % opts.every == 0 or n == #rows then
      local ok3, out = call("render")
      if not ok3 then return r end
      local e, kinds = check_render(out)
      if e then problem(("render at tick %d: %s"):format(n, e)); return r end
      for k, c in pairs(kinds) do r.widgets[k] = c end
      r.last_render = out
      r.renders = r.renders + 1
      local se, leaves = check_plain(state, "state", {}, 0)
      if se then problem(("state at tick %d: %s"):format(n, se)); return r end
      r.state_leaves = leaves
    end
  end
  r.seconds = os.clock() - t0
  r.us_per_tick = tick_time / #rows * 1e6
  r.ticks = #rows
  for _, v in ipairs(violations) do problem(v) end
  r.broker = broker
  return r
end

-- MARK: main

local datasets = {}
for _, p in ipairs(opts.data) do datasets[#datasets + 1] = { path = p, rows = load_csv(p, opts.ticks) } end

local passed, failed = 0, 0
local scenarios = opts.only and { opts.only } or { "active", "observe", "stress" }
print(("%-22s %-7s %-8s %6s %6s %5s %5s %6s %10s %13s %8s %7s"):format(
  "script", "data", "scenario", "ticks", "orders", "buys", "sells", "denied", "position", "pnl", "us/tick", "leaves"))
for _, path in ipairs(opts.scripts) do
  local f = assert(io.open(path, "r"))
  local src = f:read("a")
  f:close()
  local notes = {}
  for _, ds in ipairs(datasets) do
    for _, scenario in ipairs(scenarios) do
      local r = run(path, src, ds.path, ds.rows, scenario)
      if #r.problems == 0 then
        local b = r.broker
        passed = passed + 1
        print(("%-22s %-7s %-8s %6d %6d %5d %5d %6d %10.4g %13.6g %8.2f %7d"):format(
          r.script, r.data, scenario, r.ticks, b.placed, b.buys, b.sells, b.denied, b.pos,
          b.context.get_pnl(), r.us_per_tick, r.state_leaves or 0))
        if scenario == "active" and #notes == 0 then
          local kinds = {}
          for k, c in pairs(r.widgets) do kinds[#kinds + 1] = k .. "×" .. c end
          table.sort(kinds)
          notes[#notes + 1] = ("  form: %s; widgets: %s; renders/run: %d"):format(r.form, table.concat(kinds, " "), r.renders)
          for _, w in ipairs(r.warnings) do notes[#notes + 1] = "  schema warning: " .. w end
          if opts.dump then notes[#notes + 1] = "  last render: " .. to_json(r.last_render) end
        end
      else
        failed = failed + 1
        print(("%-22s %-7s %-8s FAILED"):format(r.script, r.data, scenario))
        for _, p in ipairs(r.problems) do print("  " .. (p:gsub("\n", "\n  "))) end
      end
    end
  end
  for _, n in ipairs(notes) do print(n) end
end
print(("%d passed, %d failed"):format(passed, failed))
os.exit(failed == 0 and 0 or 1)
