import Foundation
import PostgresNIO

/// Dates crossing the wire as whole milliseconds since 1970 (`bigint`), as the SQLite store keeps
/// them (to the nearest millisecond): exact both ways, and they bind as arrays (`[Int64]`) for
/// batches, where PostgresNIO's own `Date` encoding would truncate microseconds.
///
/// SQL turns them into `timestamptz` with ``writeSQL(_:)`` and back with ``readSQL(_:)``.
enum PostgresMilliseconds {
    /// `date` to the nearest millisecond since 1970.
    static func of(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The date `milliseconds` after 1970 (so a date written rounded reads back equal).
    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// SQL turning a `bigint` of milliseconds into a `timestamptz` (`to_timestamp` rounds to the
    /// microsecond, so the stored value is exactly `milliseconds * 1000` microseconds).
    static func writeSQL(_ expression: String) -> String {
        "to_timestamp((\(expression))::float8 / 1000)"
    }

    /// SQL turning a `timestamptz` into a `bigint` of milliseconds, rounded (`extract` is exact).
    static func readSQL(_ expression: String) -> String {
        "round(extract(epoch FROM \(expression)) * 1000)::int8"
    }
}

extension PostgresQuery.StringInterpolation {
    /// Binds a date as its milliseconds since 1970 (``PostgresMilliseconds``), read by the
    /// server as a `timestamptz`.
    mutating func appendInterpolation(epochMilliseconds date: Date) {
        appendLiteral("to_timestamp(")
        appendInterpolation(PostgresMilliseconds.of(date))
        appendLiteral("::float8 / 1000)")
    }
}
