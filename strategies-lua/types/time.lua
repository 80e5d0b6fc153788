---@meta time
-- Type annotations for the sandbox's `time` library: UTC calendar helpers on tick timestamps
-- (Unix seconds, integers or floats, years 1 to 9999, millisecond precision). There is no clock
-- here: the only "now" a strategy has is `context.now()`, the time of the tick it handles.
-- Bad arguments (NaN, ±inf, out-of-range years, unknown conversions, formats over 256 bytes)
-- raise "bad argument #N to '...' (...)"; `time.parse` returns nil and a reason for bad text.

---The calendar fields of a timestamp, in UTC.
---@class TimeParts
---@field year integer 1 … 9999
---@field month integer 1 … 12
---@field day integer 1 … 31
---@field hour integer 0 … 23
---@field min integer 0 … 59
---@field sec integer 0 … 59
---@field ms integer 0 … 999
---@field wday integer ISO weekday: 1 = Monday … 7 = Sunday
---@field yday integer Day of the year, 1 … 366

---What `time.make` takes: `year` and `month` are required, the rest default to the start.
---@class TimeFields
---@field year integer
---@field month integer
---@field day? integer Default 1.
---@field hour? integer Default 0.
---@field min? integer Default 0.
---@field sec? integer Default 0.
---@field ms? integer Default 0.

---@class timelib
---@field SECOND integer 1
---@field MINUTE integer 60
---@field HOUR integer 3600
---@field DAY integer 86400
---@field WEEK integer 604800
time = {}

---Formats a timestamp in UTC, like strftime with a fixed set of conversions:
---`%Y` year (4 digits), `%y` (2), `%m` month, `%d` day, `%e` day padded with a space,
---`%H` `%M` `%S` hour, minute, second, `%L` milliseconds (3 digits), `%j` day of the year,
---`%u` ISO weekday (1 = Monday), `%w` weekday (0 = Sunday), `%a` `%A` weekday name,
---`%b` `%B` month name (English), `%F` = `%Y-%m-%d`, `%T` = `%H:%M:%S`, `%R` = `%H:%M`,
---`%s` Unix seconds, `%z` "+0000", `%Z` "UTC", `%%` a percent sign. Any other conversion is an error.
---
---```lua
---time.format(tick.ts, "%Y-%m-%d %H:%M:%S")  --> "2024-02-29 13:05:00"
---time.format(1709211900.25)                  --> "2024-02-29T13:05:00.250Z"
---```
---@param ts number Unix seconds.
---@param fmt? string At most 256 bytes; default ISO 8601 ("%Y-%m-%dT%H:%M:%SZ", with ".%L" when there are milliseconds).
---@return string
function time.format(ts, fmt) end

---The calendar fields of a timestamp, in UTC.
---@param ts number Unix seconds.
---@return TimeParts
function time.parts(ts) end

---Reads a UTC time. Without `fmt`: ISO 8601, `YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM]`
---(a space may stand for `T`). With `fmt`: the conversions `%Y %m %d %H %M %S %L %F %T %R %z %b %%`
---and literal text (a missing day is the 1st).
---
---```lua
---local ts, err = time.parse("2024-02-29T13:05:00Z")
---local ts2 = time.parse("29/02/2024", "%d/%m/%Y")
---```
---@param text string
---@param fmt? string
---@return number|nil ts Unix seconds (an integer when whole), or nil when the text is not a valid time.
---@return string? err Why not.
function time.parse(text, fmt) end

---The timestamp of a UTC date and time; every field is checked (Feb 30 is an error, not Mar 2).
---@param fields TimeFields
---@return number ts
function time.make(fields) end

---Midnight UTC of the timestamp's day.
---@param ts number
---@return integer
function time.day_start(ts) end

---Monday 00:00 UTC of the timestamp's week (ISO weeks start on Monday).
---@param ts number
---@return integer
function time.week_start(ts) end

---The first of the timestamp's month, 00:00 UTC.
---@param ts number
---@return integer
function time.month_start(ts) end

---January 1st of the timestamp's year, 00:00 UTC.
---@param ts number
---@return integer
function time.year_start(ts) end

---Days in a month of the Gregorian calendar (February has 29 in leap years).
---@param year integer 1 … 9999
---@param month integer 1 … 12
---@return integer
function time.days_in_month(year, month) end
