import Foundation
import NIOCore
import PostgresNIO

/// A `timestamptz` to the nearest millisecond, as the SQLite store keeps dates: written as an
/// exact count of microseconds (PostgresNIO's own `Date` encoding truncates, which can store
/// `.122999`), read back rounded, so a date reads back equal to the one a test wrote.
struct PostgresTime: PostgresNonThrowingEncodable, PostgresDecodable {
    /// Milliseconds since 1970-01-01 UTC.
    let milliseconds: Int64

    /// Microseconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01.
    private static let epochOffset: Int64 = 946_684_800_000_000

    init(_ date: Date) {
        milliseconds = Self.milliseconds(date)
    }

    /// The date, from its milliseconds (so `1_700_000_000.5` reads back as that very `Double`).
    var date: Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    /// `date` to the nearest millisecond since 1970.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static var psqlType: PostgresDataType { .timestamptz }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeInteger(milliseconds * 1000 - Self.epochOffset)
    }

    init<JSONDecoder: PostgresJSONDecoder>(
        from byteBuffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard type == .timestamptz || type == .timestamp, format == .binary, byteBuffer.readableBytes == 8,
            let microseconds = byteBuffer.readInteger(as: Int64.self)
        else { throw PostgresDecodingError.Code.typeMismatch }
        let sinceUnixEpoch = microseconds + Self.epochOffset
        // Rounded half away from zero, as `Double.rounded()` does on the way in.
        let (quotient, remainder) = sinceUnixEpoch.quotientAndRemainder(dividingBy: 1000)
        milliseconds = quotient + (remainder >= 500 ? 1 : remainder <= -500 ? -1 : 0)
    }
}
