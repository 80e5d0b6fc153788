import Testing

@testable import LuaBridge

/// The sandbox's `time` library: UTC dates computed without the host's clock or gmtime.
@Suite struct TimeLibraryTests {
    let state: LuaState

    init() throws {
        state = try LuaState()
    }

    private func run(_ source: String) throws -> LuaValue {
        try evaluate(source, in: state)
    }

    private func failure(_ source: String) -> String {
        do {
            _ = try evaluate(source, in: state)
            return "no error"
        } catch {
            return error.message
        }
    }

    @Test func formatsKnownDatesAroundTheEpochAndLeapDays() throws {
        #expect(try run("return time.format(0)") == "1970-01-01T00:00:00Z")
        #expect(try run("return time.format(-1, '%F %T')") == "1969-12-31 23:59:59")
        #expect(try run("return time.format(951782400, '%Y-%m-%d %a %j')") == "2000-02-29 Tue 060")
        #expect(try run("return time.format(4107456000 + 86400, '%F')") == "2100-03-01")  // 2100 is not a leap year
        #expect(try run("return time.format(1704112215.25)") == "2024-01-01T12:30:15.250Z")
        #expect(try run("return time.format(1700000000.123, '%S.%L')") == "20.123")
        #expect(try run("return time.format(-0.5, '%F %T.%L')") == "1969-12-31 23:59:59.500")
        #expect(try run("return time.format(253402300799, '%F %T %Z %z %%')") == "9999-12-31 23:59:59 UTC +0000 %")
        #expect(try run("return time.format(-62135596800, '%F %A %B %e|%u|%w|%s')") == "0001-01-01 Monday January  1|1|1|-62135596800")
    }

    @Test func partsGiveTheCalendarFieldsWithIsoWeekdays() throws {
        #expect(
            try run("return time.parts(0)")
                == .table(["year": 1970, "month": 1, "day": 1, "hour": 0, "min": 0, "sec": 0, "ms": 0, "wday": 4, "yday": 1]))
        #expect(try run("local p = time.parts(1735689599.999); return {p.yday, p.ms, p.wday}") == .array([366, 999, 2]))
        #expect(try run("local p = time.parts(-1); return {p.year, p.wday, p.hour}") == .array([1969, 3, 23]))
    }

    @Test func boundariesFallOnMidnightMondayAndTheFirst() throws {
        #expect(try run("return time.day_start(1704112215.25)") == .integer(1_704_067_200))
        #expect(try run("return time.day_start(-1)") == .integer(-86400))
        #expect(try run("return time.week_start(1704067200 + 2 * 86400)") == .integer(1_704_067_200))  // Wednesday
        #expect(try run("return time.week_start(1704585600 + 23 * 3600)") == .integer(1_704_067_200))  // Sunday night
        #expect(try run("return time.week_start(1704067200)") == .integer(1_704_067_200))  // Monday itself
        #expect(try run("return time.week_start(0)") == .integer(-259200))  // 1970-01-01 was a Thursday
        #expect(try run("return time.month_start(1709164800 + 3600)") == .integer(1_706_745_600))
        #expect(try run("return time.year_start(1709164800)") == .integer(1_704_067_200))
        #expect(try run("return {time.days_in_month(2024, 2), time.days_in_month(1900, 2), time.days_in_month(2000, 2)}") == .array([29, 28, 29]))
        #expect(try run("return time.DAY * 7 == time.WEEK and time.HOUR == 3600") == true)
    }

    @Test func makeAndParseAreInversesOfFormat() throws {
        #expect(try run("return time.make{year = 2024, month = 2, day = 29}") == .integer(1_709_164_800))
        #expect(try run("return time.make{year = 2024, month = 1, day = 1, hour = 12, min = 30, sec = 15, ms = 250}") == .number(1704112215.25))
        #expect(try run("return time.make{year = 1969, month = 12, day = 31, hour = 23, min = 59, sec = 59}") == .integer(-1))
        #expect(try run("return time.parse('2024-02-29')") == .integer(1_709_164_800))
        #expect(try run("return time.parse('2024-01-01T12:30:15.250Z')") == .number(1704112215.25))
        #expect(try run("return time.parse('2024-01-01 12:30')") == .integer(1_704_112_200))
        #expect(try run("return time.parse('2024-01-01T02:00:00+02:00')") == .integer(1_704_067_200))
        #expect(try run("return time.parse('29/02/2024 10:00', '%d/%m/%Y %H:%M')") == .integer(1_709_200_800))
        #expect(try run("return time.parse('Feb 2024', '%b %Y')") == .integer(1_706_745_600))
        #expect(try run("local t = 1709164800.5; return time.parse(time.format(t)) == t") == true)
    }

    @Test func unparseableTextReturnsNilAndAReason() throws {
        #expect(try run("return select(2, time.parse('2023-02-29'))") == "cannot parse time: day out of range for the month")
        #expect(try run("return select(2, time.parse('2024-13-01'))") == "cannot parse time: month out of range")
        #expect(try run("return select(2, time.parse('yesterday'))") == "cannot parse time: expected YYYY-MM-DD")
        #expect(try run("return select(2, time.parse('2024-01-01T10:00junk'))") == "cannot parse time: unexpected text after the date")
        #expect(try run("return select(2, time.parse(('9'):rep(1000000)))") == "cannot parse time: text too long")
        #expect(try run("return time.parse('2024-01-01T25:00') == nil") == true)
    }

    @Test func hostileTimestampsAndFormatsRaiseClearErrors() {
        #expect(failure("time.format(0/0)").contains("bad argument #1 to 'format' (timestamp is NaN)"))
        #expect(failure("time.format(math.huge)").contains("timestamp is infinite"))
        #expect(failure("time.parts(-math.huge)").contains("timestamp is infinite"))
        #expect(failure("time.format(1e300)").contains("timestamp out of range (years 1 to 9999)"))
        #expect(failure("time.day_start(math.mininteger)").contains("timestamp out of range"))
        #expect(failure("time.format(253402300800)").contains("timestamp out of range"))
        #expect(failure("time.format('0')").contains("number expected, got string"))
        #expect(failure("time.format(0, ('%Y'):rep(500000))").contains("format too long (1000000 bytes, limit 256)"))
        #expect(failure("time.format(0, '%Y-%')").contains("format ends with a lone '%'"))
        #expect(failure("time.format(0, '%Q')").contains("unknown conversion '%Q' at byte 1"))
        #expect(failure("time.format(0, '%\\0')").contains("unknown conversion '%' and byte 0"))
        #expect(failure("time.parse('2024', '%Y%k')").contains("unknown conversion '%k'"))
        #expect(failure("time.make{year = 2023, month = 2, day = 29}").contains("field 'day' out of range (2023-02 has 28 days)"))
        #expect(failure("time.make{year = 2024, month = 1, minute = 3}").contains("unknown field 'minute'"))
        #expect(failure("time.make{year = 10000, month = 1}").contains("field 'year' out of range"))
        #expect(failure("time.make{year = 2024, month = 1.5}").contains("field 'month' must be an integer, got a fraction"))
        #expect(failure("time.make{month = 1}").contains("field 'year' is required"))
        #expect(failure("time.format = nil").contains("read-only"))
    }

    @Test func theLibraryHasNoClock() throws {
        #expect(try run("return time.now == nil and time.clock == nil and time.time == nil and os == nil") == true)
        #expect(try run("local ok = pcall(time.format); return ok") == false)
    }
}
