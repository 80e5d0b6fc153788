-- The ta_update scenario of `strata bench`: per-update cost of each `ta` indicator beside the
-- same computation written in plain Lua (running sums, the same monotonic deque), in the same
-- state. Not a strategy: `strata bench` loads it into a sandboxed state and calls
-- run(impl, name, updates) with impl "ta", "lua" or "loop" (the loop and inputs alone).

local prices, N = {}, 1024
for i = 1, N do prices[i] = 100 + 10 * math.sin(i * 0.37) + (i % 7) * 0.25 end

-- MARK: plain Lua

local lua = {}

local function ring_sma(n)
  local o = { n = n, ring = {}, head = 0, count = 0, sum = 0 }
  function o:update(x)
    local head = self.head % self.n + 1
    if self.count == self.n then self.sum = self.sum - self.ring[head] else self.count = self.count + 1 end
    self.ring[head] = x
    self.head = head
    self.sum = self.sum + x
    if self.count < self.n then return nil end
    return self.sum / self.n
  end
  return o
end
lua.sma = ring_sma

local function smooth(n, alpha)
  local o = { n = n, alpha = alpha, count = 0, sum = 0, value = 0 }
  function o:update(x)
    if self.count < self.n then
      self.count = self.count + 1
      self.sum = self.sum + x
      if self.count < self.n then return nil end
      self.value = self.sum / self.n
    else
      self.value = self.alpha * x + (1 - self.alpha) * self.value
    end
    return self.value
  end
  return o
end
function lua.ema(n) return smooth(n, 2 / (n + 1)) end
function lua.rma(n) return smooth(n, 1 / n) end

function lua.wma(n)
  local o = { n = n, ring = {}, head = 0, count = 0, sum = 0, wsum = 0 }
  function o:update(x)
    local head = self.head % self.n + 1
    if self.count == self.n then
      self.wsum = self.wsum - self.sum + self.n * x
      self.sum = self.sum - self.ring[head] + x
    else
      self.count = self.count + 1
      self.wsum = self.wsum + self.count * x
      self.sum = self.sum + x
    end
    self.ring[head] = x
    self.head = head
    if self.count < self.n then return nil end
    return self.wsum / (self.n * (self.n + 1) / 2)
  end
  return o
end

function lua.rsi(n)
  local o = { up = lua.rma(n), down = lua.rma(n) }
  function o:update(x)
    local prev = self.prev
    self.prev = x
    if prev == nil then return nil end
    local change = x - prev
    local up = self.up:update(change > 0 and change or 0)
    local down = self.down:update(change < 0 and -change or 0)
    if up == nil then return nil end
    return down == 0 and 100 or up == 0 and 0 or 100 - 100 / (1 + up / down)
  end
  return o
end

function lua.macd(f, s, g)
  local o = { fast = lua.ema(f), slow = lua.ema(s), signal = lua.ema(g) }
  function o:update(x)
    local fast, slow = self.fast:update(x), self.slow:update(x)
    if fast == nil or slow == nil then return nil end
    local line = fast - slow
    local signal = self.signal:update(line)
    if signal == nil then return nil end
    return line, signal, line - signal
  end
  return o
end

local function deviation(n)
  local o = { n = n, ring = {}, head = 0, count = 0, mean = 0, m2 = 0 }
  function o:update(x)
    local head = self.head % self.n + 1
    local mean = self.mean
    if self.count == self.n then
      local old = self.ring[head]
      local next = mean + (x - old) / self.n
      self.m2 = self.m2 + (x - old) * (x - next + old - mean)
      self.mean = next
    else
      self.count = self.count + 1
      local next = mean + (x - mean) / self.count
      self.m2 = self.m2 + (x - mean) * (x - next)
      self.mean = next
    end
    self.ring[head] = x
    self.head = head
    if self.count < self.n then return nil end
    return self.mean, math.sqrt(math.max(self.m2, 0) / self.n)
  end
  return o
end
function lua.stdev(n)
  local d = deviation(n)
  return { update = function(_, x) local _, sd = d:update(x) return sd end }
end
function lua.bollinger(n, k)
  local d = deviation(n)
  return { update = function(_, x)
    local mean, sd = d:update(x)
    if mean == nil then return nil end
    return mean, mean + k * sd, mean - k * sd, sd
  end }
end

function lua.atr(n)
  local o = { smooth = lua.rma(n) }
  function o:update(high, low, close)
    local range = high - low
    local prev = self.prev
    if prev then range = math.max(range, math.abs(high - prev), math.abs(low - prev)) end
    self.prev = close
    return self.smooth:update(range)
  end
  return o
end

local function extreme(n, highest)
  local o = { n = n, values = {}, positions = {}, first = 1, last = 0, fed = 0 }
  function o:update(x)
    local fed, values, positions = self.fed, self.values, self.positions
    local first, last = self.first, self.last
    while first <= last and positions[first] <= fed - self.n do
      values[first], positions[first] = nil, nil
      first = first + 1
    end
    while last >= first and (highest and values[last] <= x or not highest and values[last] >= x) do
      values[last], positions[last] = nil, nil
      last = last - 1
    end
    last = last + 1
    values[last], positions[last] = x, fed
    self.first, self.last, self.fed = first, last, fed + 1
    if fed + 1 < self.n then return nil end
    return values[first]
  end
  return o
end
function lua.highest(n) return extreme(n, true) end
function lua.lowest(n) return extreme(n, false) end

function lua.roc(n)
  local o = { n = n, ring = {}, head = 0, count = 0 }
  function o:update(x)
    local head = self.head % self.n + 1
    local old = self.count == self.n and self.ring[head] or nil
    if not old then self.count = self.count + 1 end
    self.ring[head] = x
    self.head = head
    if old == nil or old == 0 then return nil end
    return 100 * (x - old) / old
  end
  return o
end

function lua.vwap()
  local o = { pv = 0, v = 0 }
  function o:update(price, volume)
    self.pv = self.pv + price * volume
    self.v = self.v + volume
    if self.v <= 0 then return nil end
    return self.pv / self.v
  end
  return o
end

function lua.crossover()
  local o = {}
  function o:update(a, b)
    local pa, pb = self.a, self.b
    self.a, self.b = a, b
    return pa ~= nil and a ~= nil and b ~= nil and a > b and pa <= pb
  end
  return o
end

-- MARK: the scenario

-- name -> constructor arguments and how an update is fed
INDICATORS = {
  { "sma", 20 }, { "ema", 20 }, { "wma", 20 }, { "rma", 14 }, { "rsi", 14 }, { "macd", 12, 26, 9 },
  { "bollinger", 20, 2 }, { "stdev", 20 }, { "atr", 14 }, { "highest", 20 }, { "lowest", 20 },
  { "roc", 10 }, { "vwap" }, { "crossover" },
}

local function find(name)
  for _, spec in ipairs(INDICATORS) do if spec[1] == name then return spec end end
  error("unknown indicator " .. name)
end

function run(impl, name, updates)
  local spec = find(name)
  local last
  if impl == "loop" then
    for i = 1, updates do last = prices[(i & 1023) + 1] end
    return last
  end
  local make = impl == "ta" and ta[name] or lua[name]
  local o = make(table.unpack(spec, 2))
  if name == "atr" then
    for i = 1, updates do local p = prices[(i & 1023) + 1]; last = o:update(p + 1, p - 1, p) end
  elseif name == "vwap" or name == "crossover" then
    for i = 1, updates do last = o:update(prices[(i & 1023) + 1], 100) end
  else
    for i = 1, updates do last = o:update(prices[(i & 1023) + 1]) end
  end
  return last
end
