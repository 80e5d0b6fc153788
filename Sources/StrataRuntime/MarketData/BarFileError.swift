/// Why a market-data file could not be read: where (file, line, column) and what to do about it.
/// Prints like a compiler diagnostic: `GOOG.csv:17: column 'Close': expected a number, got "abc"`.
public struct BarFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path as given (or the source name passed to `BarCSVReader.parse`).
    public var path: String
    /// The 1-based line, as an editor numbers it; nil when the fault is the whole file.
    public var line: Int?
    /// The column's name as the header spells it; "" for the unnamed first (time) column; nil when
    /// the fault is not in one column.
    public var column: String?
    /// What is wrong and how to fix it.
    public var message: String

    public init(path: String, line: Int? = nil, column: String? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var text = path
        if let line { text += ":\(line)" }
        text += ": "
        if let column {
            text += column.isEmpty ? "the unnamed time column: " : "column '\(column)': "
        }
        return text + message
    }
}
