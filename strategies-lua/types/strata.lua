---@meta strata
-- Type annotations for Strata strategy scripts, read by lua-language-server (LuaLS) so that
-- editors complete and check `context`, `config`, `state`, ticks, orders and widgets. Nothing
-- here runs: the engine provides the real values (see DESIGN.md §2 and §4).
--
-- The sandbox has the base functions without dofile and loadfile, plus string, table, math, utf8,
-- coroutine, `time` (types/time.lua), `ta` (indicators: types/ta.lua) and a `require` of its own (below); .luarc.json beside this
-- folder turns off io, os, debug and package, but LuaLS cannot hide single base functions, so it
-- still completes dofile and loadfile.

-- MARK: shared modules

---Loads a shared module: `require "name"` runs `lib/name.lua` beside the strategies
---(`require "signals.trend"` runs `lib/signals/trend.lua`) once per instance, in the same
---sandbox and limits, and returns what it returned (`true` when it returned nothing); later
---calls return the same value. Names are letters, digits and `_`, with `.` between folder
---names. A new module can only be loaded while the strategy loads (at the top level of the
---strategy or of a module): the modules a version loads are part of that version, and saving
---one reloads every strategy that uses it. Cycles and missing modules are load errors that
---show the chain of requires.
---@param name string
---@return any
function require(name) end

-- MARK: market data

---One market data update, passed to `on_tick`.
---@class Tick
---@field market string Market of the instance, e.g. "BTC/USD".
---@field ts number Time of the update, unix seconds (simulated in backtests).
---@field price number Last traded price.
---@field volume? number Traded volume, when the feed has it.
---@field bid? number Best bid, when the feed has it.
---@field ask? number Best ask, when the feed has it.
---@field open? number Bar open, for bar feeds.
---@field high? number Bar high, for bar feeds.
---@field low? number Bar low, for bar feeds.
---@field close? number Bar close, for bar feeds.

-- MARK: orders

---@alias OrderSide "buy"|"sell"
---@alias OrderType "market"|"limit"

---What `context.place_order` takes.
---@class OrderRequest
---@field side OrderSide
---@field qty number Positive, finite, base units.
---@field type? OrderType Default "market".
---@field price? number Limit price; required when `type` is "limit".
---@field tag? string Free text kept with the order and shown in the dashboard.

---An order as the broker reports it.
---@class Order
---@field id string|integer Broker-assigned id, for `context.cancel_order`.
---@field side OrderSide
---@field qty number
---@field type OrderType
---@field price? number Limit price, or the fill price once known.
---@field status string e.g. "open", "filled", "cancelled", "rejected".
---@field tag? string
---@field [string] any Broker-specific extras.

-- MARK: context

---The instance's immutable identity.
---@class Identity
---@field id string
---@field strategy_type string File name of the strategy without ".lua".
---@field account string
---@field market string

---The capabilities the engine gives a strategy (read-only). Each mode gets its own context: in
---observe mode `place_order` returns `nil, "not allowed: observe mode"`; `render` gets one that
---can read but not trade. Bad arguments raise "bad argument #1 to 'place_order' (...)".
---@class Context
---@field identity Identity
context = {}

---Last price of the instance's market.
---@return number price
function context.get_price() end

---Places an order. On refusal (observe mode, risk limits, funds) returns `nil` and a message:
---handle it like any failed Lua call, it is not raised.
---@param order OrderRequest
---@return Order|nil order
---@return string|nil err
function context.place_order(order) end

---Cancels one of the instance's open orders.
---@param id string|integer
---@return true|nil ok
---@return string|nil err
function context.cancel_order(id) end

---The instance's open orders.
---@return Order[] orders
function context.get_orders() end

---Signed position in the instance's market, base units (negative is short).
---@return number position
function context.get_position() end

---Balance of one asset in the instance's account.
---@param asset string e.g. "USD", "BTC"
---@return number balance
function context.get_balance(asset) end

---Profit and loss of the instance, quote currency.
---@return number pnl
function context.get_pnl() end

---The engine clock in unix seconds (simulated in backtests). Scripts have no other clock.
---@return number now
function context.now() end

---Writes a line to the instance's log in the dashboard.
---@param msg string
function context.log(msg) end

---Sends a notification: a line of level "notify" in the instance's log, POSTed to the webhooks
---that want `notify` events. At most 10 per minute of engine time; text over 1,000 bytes is cut.
---Not allowed in render() nor at the chunk's top level.
---@param text string Non-empty.
---@return true|nil ok
---@return string? err "rate limited: ..." when refused.
function context.notify(text) end

-- MARK: config schema

---@alias ConfigFieldType "float"|"number"|"integer"|"boolean"|"string"|"enum"

---One field of `CONFIG_SCHEMA`: the source of the config form and of its validation.
---@class ConfigField
---@field type ConfigFieldType "number" is an alias of "float".
---@field default number|integer|boolean|string Required; must itself be valid.
---@field min? number Inclusive lower bound (float, integer).
---@field max? number Inclusive upper bound (float, integer).
---@field values? string[] The choices (enum only).
---@field label? string Form label.
---@field description? string Help text under the field.

---@alias ConfigSchema table<string, ConfigField>

-- MARK: widgets

---@class TimePoint
---@field t number Unix seconds.
---@field v number

---@class Series
---@field name string
---@field data number[]|TimePoint[]

---@class LineChartWidget
---@field type "line_chart"
---@field id? string Stable id, so that the UI keeps zoom and scroll across renders.
---@field title? string
---@field series Series[]
---@field y_label? string

---@class Candle
---@field t number Unix seconds.
---@field o number
---@field h number
---@field l number
---@field c number
---@field v? number

---@class CandlesWidget
---@field type "candles"
---@field id? string Stable id, so that the UI keeps zoom and scroll across renders.
---@field title? string
---@field data Candle[]

---A single labelled value (it has no title: the label is its heading).
---@class MetricWidget
---@field type "metric"
---@field id? string Stable id, so that the UI keeps zoom and scroll across renders.
---@field label string
---@field value number|string
---@field unit? string

---@class TableWidget
---@field type "table"
---@field id? string Stable id, so that the UI keeps zoom and scroll across renders.
---@field title? string
---@field columns string[]
---@field rows (string|number|boolean)[][] One array of cells per row, in column order.

---@class TextWidget
---@field type "text"
---@field id? string Stable id, so that the UI keeps zoom and scroll across renders.
---@field title? string
---@field text string Shown as plain text, never as HTML.

---@class LogWidget
---@field type "log"
---@field id? string Stable id, so that the UI keeps zoom and scroll across renders.
---@field title? string
---@field lines string[]

---@alias Widget LineChartWidget|CandlesWidget|MetricWidget|TableWidget|TextWidget|LogWidget

---What `render` returns. Output that does not match is an `invalid_render` error in the UI.
---@class RenderOutput
---@field widgets Widget[]

-- MARK: injected globals

---The instance's validated config (read-only), keyed by `CONFIG_SCHEMA` field names.
---@type table<string, any>
config = {}

---The runtime state: what `init()` returned. Mutate it; do not replace it. Keep it plain data
---(tables of numbers, strings, booleans) so that it survives hot reloads.
---@type table<string, any>
state = {}

-- MARK: what a strategy defines (globals form)

---The config fields of this strategy type.
---@type ConfigSchema
CONFIG_SCHEMA = {}

---Returns the initial runtime state. Called on load, and on a config change when `on_config`
---is not defined.
---@return table state
function init() end

---Called for every tick of the instance's market.
---@param tick Tick
function on_tick(tick) end

---The runtime UI; called only when someone is looking, with a context that cannot trade.
---@return RenderOutput
function render() end

---Optional. If defined, a config change keeps `state` and calls this instead of `init`.
---@param old_config table<string, any> The config before the change; `config` holds the new one.
function on_config(old_config) end

---Optional. Called after a hot reload of the script; `state` is kept. Also called when the
---engine restarts an instance whose saved `state` was written by another version (without
---`on_reload`, such a restart runs `init()` instead).
---@param old_version string Content hash of the version that was running (or that saved `state`).
function on_reload(old_version) end

---Optional. What to save of `state` (periodically, on stop, on mode off, before a reload): plain
---data only — nil, booleans, numbers, strings, tables without metatables (shared tables and
---cycles are kept) — at most 8 MiB. Return nil to save nothing: a restart then runs `init()`.
---Without it, `state` itself is saved. Cannot trade.
---@return table|nil saved
function on_save() end

---Optional. Turns what was saved back into `state` after a restart (e.g. rebuilds caches);
---without it the saved table becomes `state` as it is.
---@param saved table What `on_save()` returned (or `state`) when it was saved.
---@return table state
function on_restore(saved) end

-- MARK: what a strategy defines (returned-table form)

---The returned-table form. Declare the table as a subclass so that its fields are checked:
---
---```lua
------@class MyStrategy: Strategy
---local S = {}
---S.CONFIG_SCHEMA = { ... }
---function S.on_tick(tick) ... end
---return S
---```
---@class Strategy
---@field CONFIG_SCHEMA ConfigSchema
---@field init fun(): table
---@field on_tick fun(tick: Tick)
---@field render fun(): RenderOutput
---@field on_config? fun(old_config: table<string, any>)
---@field on_reload? fun(old_version: string)
---@field on_save? fun(): table|nil
---@field on_restore? fun(saved: table): table
