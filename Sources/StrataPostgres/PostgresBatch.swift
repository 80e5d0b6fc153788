import Foundation

/// Many rows sent to one statement as one JSON text parameter, which the statement reads with
/// `json_to_recordset($1::json) AS x(column type, …)`: a batch of 10,000 statuses is one round
/// trip, not 10,000. Values are written so PostgreSQL reads back exactly what was sent: doubles
/// in their shortest round-trip form (non-finite ones as the strings `float8` accepts), dates as
/// whole milliseconds since 1970 (the statement turns them into `timestamptz`).
struct PostgresBatch {
    /// A value of one field.
    enum Value {
        case text(String?)
        case integer(Int64?)
        case number(Double?)
        case time(Date?)

        /// A missing key reads as NULL: nulls are left out, which makes a batch smaller.
        var isNull: Bool {
            switch self {
            case .text(let value): value == nil
            case .integer(let value): value == nil
            case .number(let value): value == nil
            case .time(let value): value == nil
            }
        }
    }

    /// The JSON array so far.
    private(set) var json = "["
    /// Rows appended.
    private(set) var count = 0

    /// Appends one row: a JSON object of the fields of every group.
    mutating func append(_ groups: KeyValuePairs<String, Value>...) {
        json += count == 0 ? "{" : ",{"
        var first = true
        for (name, value) in groups.joined() where !value.isNull {
            if !first { json += "," }
            first = false
            json += "\""
            json += name
            json += "\":"
            write(value)
        }
        json += "}"
        count += 1
    }

    /// The finished array.
    var text: String { json + "]" }

    private mutating func write(_ value: Value) {
        switch value {
        case .text(let text?): Self.quote(text, into: &json)
        case .integer(let integer?): json += String(integer)
        case .number(let number?):
            if number.isFinite {
                json += number.description
            } else {
                json += number.isNaN ? "\"NaN\"" : number > 0 ? "\"Infinity\"" : "\"-Infinity\""
            }
        case .time(let date?): json += String(PostgresTime.milliseconds(date))
        case .text(nil), .integer(nil), .number(nil), .time(nil): json += "null"  // not reached: left out
        }
    }

    /// `text` as a JSON string.
    static func quote(_ text: String, into json: inout String) {
        json += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": json += "\\\""
            case "\\": json += "\\\\"
            case "\n": json += "\\n"
            case "\r": json += "\\r"
            case "\t": json += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                json += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: json.unicodeScalars.append(scalar)
            }
        }
        json += "\""
    }
}
