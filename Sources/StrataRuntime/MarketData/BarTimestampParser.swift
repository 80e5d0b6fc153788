/// Why a time field could not be read, in words for the file's author.
struct BarTimestampError: Error {
    var message: String
}

/// Reads the time of a bar, as files write it, into Unix seconds (UTC).
///
/// Accepted forms:
/// - an ISO 8601 date, `2004-08-19` (midnight UTC);
/// - a date and time, `2017-04-19 09:00`, `2017-04-19 09:00:00` or `2017-04-19T09:00:00.250`,
///   optionally followed by `Z` or an offset (`+02:00`, `-0530`, `+02`); no offset means UTC;
/// - a Unix time, integer or decimal, whose unit follows from its size, because no market data
///   lies before 1973 or after the year 5138: below 10^11 it is seconds, below 10^14
///   milliseconds, below 10^17 microseconds, otherwise nanoseconds.
///
/// Dates are computed with days-from-civil arithmetic (proleptic Gregorian calendar), never with
/// a date formatter: that is locale-dependent and far too slow for a million rows.
enum BarTimestampParser {
    /// The time in `bytes[start..<end]` as Unix seconds.
    @inline(__always)
    static func parse(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) throws(BarTimestampError) -> Double {
        if end - start >= 10, bytes[start + 4] == UInt8(ascii: "-"), isDigit(bytes[start]) {
            return try parseISO(bytes, from: start, to: end)
        }
        guard let number = DecimalNumberParser.parse(bytes, from: start, to: end), number.isFinite else {
            throw unrecognized(bytes, from: start, to: end)
        }
        let size = abs(number)
        if size < 1e11 { return number }
        if size < 1e14 { return number / 1e3 }
        if size < 1e17 { return number / 1e6 }
        return number / 1e9
    }

    /// Whether `bytes[start..<end]` reads as a time at all (to tell a header from a data line).
    static func isTime(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        (try? parse(bytes, from: start, to: end)) != nil
    }

    /// `YYYY-MM-DD`, then optionally `[T ]HH:MM[:SS[.fraction]]` and `Z` or `±HH[:][MM]`.
    private static func parseISO(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) throws(BarTimestampError) -> Double {
        /// The two-digit number at `i`, or -1.
        @inline(__always)
        func twoDigits(_ i: Int) -> Int {
            guard i + 1 < end, isDigit(bytes[i]), isDigit(bytes[i + 1]) else { return -1 }
            return Int(bytes[i] - CSVByte.zero) * 10 + Int(bytes[i + 1] - CSVByte.zero)
        }
        let century = twoDigits(start)
        let yearOfCentury = twoDigits(start + 2)
        let month = twoDigits(start + 5)
        let day = twoDigits(start + 8)
        guard century >= 0, yearOfCentury >= 0, month >= 0, day >= 0, bytes[start + 7] == UInt8(ascii: "-") else {
            throw unrecognized(bytes, from: start, to: end)
        }
        let year = century * 100 + yearOfCentury
        var hour = 0
        var minute = 0
        var second = 0
        var fraction = 0.0
        var offsetSeconds = 0
        var i = start + 10
        if i < end {
            guard bytes[i] == UInt8(ascii: "T") || bytes[i] == UInt8(ascii: "t") || bytes[i] == CSVByte.space else {
                throw unrecognized(bytes, from: start, to: end)
            }
            hour = twoDigits(i + 1)
            minute = i + 3 < end && bytes[i + 3] == UInt8(ascii: ":") ? twoDigits(i + 4) : -1
            guard hour >= 0, minute >= 0 else { throw unrecognized(bytes, from: start, to: end) }
            i += 6
            if i < end && bytes[i] == UInt8(ascii: ":") {
                second = twoDigits(i + 1)
                guard second >= 0 else { throw unrecognized(bytes, from: start, to: end) }
                i += 3
                if i < end && (bytes[i] == UInt8(ascii: ".") || bytes[i] == CSVByte.comma) {
                    i += 1
                    var digits: UInt64 = 0
                    var scale = 1.0
                    var count = 0
                    while i < end, isDigit(bytes[i]) {
                        if count < 18 {
                            digits = digits * 10 + UInt64(bytes[i] - CSVByte.zero)
                            scale *= 10
                        }
                        count += 1
                        i += 1
                    }
                    guard count > 0 else { throw unrecognized(bytes, from: start, to: end) }
                    fraction = Double(digits) / scale
                }
            }
            if i < end {
                switch bytes[i] {
                case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                    i += 1
                case UInt8(ascii: "+"), UInt8(ascii: "-"):
                    let sign = bytes[i] == UInt8(ascii: "-") ? -1 : 1
                    let offsetHours = twoDigits(i + 1)
                    guard offsetHours >= 0 else { throw unrecognized(bytes, from: start, to: end) }
                    i += 3
                    if i < end && bytes[i] == UInt8(ascii: ":") { i += 1 }
                    var offsetMinutes = 0
                    if i < end {
                        offsetMinutes = twoDigits(i)
                        guard offsetMinutes >= 0 else { throw unrecognized(bytes, from: start, to: end) }
                        i += 2
                    }
                    guard offsetHours <= 23, offsetMinutes <= 59 else {
                        throw invalid(bytes, from: start, to: end, "the UTC offset must be at most ±23:59")
                    }
                    offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
                default:
                    throw unrecognized(bytes, from: start, to: end)
                }
            }
            guard i == end else { throw unrecognized(bytes, from: start, to: end) }
        }
        guard (1...12).contains(month) else {
            throw invalid(bytes, from: start, to: end, "month \(month) does not exist (months are 01 to 12)")
        }
        let monthLength = daysInMonth(month, year: year)
        guard (1...monthLength).contains(day) else {
            throw invalid(bytes, from: start, to: end, "day \(day) does not exist: that month has \(monthLength) days")
        }
        guard hour <= 23, minute <= 59, second <= 59 else {
            throw invalid(bytes, from: start, to: end, "the time of day must be 00:00:00 to 23:59:59")
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds
        return Double(seconds) + fraction
    }

    /// Days since 1970-01-01 of a date in the proleptic Gregorian calendar (Howard Hinnant's
    /// `days_from_civil`: years counted from March, so the leap day ends the year).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400  // 0...399
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1  // 0...365
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear  // 0...146096
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte &- CSVByte.zero < 10 }

    private static func text(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes + start, count: end - start), as: UTF8.self)
    }

    private static func unrecognized(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> BarTimestampError {
        let got = start == end ? "an empty field" : "\"\(text(bytes, from: start, to: end))\""
        return BarTimestampError(
            message: "expected a time such as 2017-04-19, 2017-04-19 09:00:00, "
                + "2017-04-19T09:00:00Z or Unix seconds or milliseconds, got \(got)")
    }

    private static func invalid(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int, _ reason: String) -> BarTimestampError {
        BarTimestampError(message: "\"\(text(bytes, from: start, to: end))\" is not a valid time: \(reason)")
    }
}
