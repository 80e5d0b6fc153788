/// The values of a bar a CSV column can hold.
enum BarField: Int, CaseIterable, Sendable {
    case time, open, high, low, close, volume

    /// The header names (lower-case) that mean this field. Single letters are accepted because
    /// exchanges' APIs write them (`t,o,h,l,c,v`); a header naming one field twice is refused.
    var acceptedNames: [String] {
        switch self {
        case .time: ["time", "timestamp", "date", "datetime", "t"]
        case .open: ["open", "o"]
        case .high: ["high", "h"]
        case .low: ["low", "l"]
        case .close: ["close", "c"]
        case .volume: ["volume", "vol", "v"]
        }
    }

    var name: String { acceptedNames[0] }

    static let required: [BarField] = [.time, .open, .high, .low, .close]
}

/// What the header line of a bar file says: which column holds which field of a bar.
///
/// Names are matched without regard to case or surrounding spaces, in any order; columns with
/// other names (`Adj Close`, `Trades`, …) are ignored. The time column is the one named `time`,
/// `timestamp`, `date`, `datetime` or `t` — or, if none is, an unnamed first column (the index
/// pandas writes, as in backtesting.py's sample files).
struct BarCSVHeader {
    /// The columns' names as the header writes them (unquoted, without surrounding spaces).
    let names: [String]
    /// The field each column holds, by column; nil for ignored columns.
    let fields: [BarField?]
    /// The column of each field, by `BarField.rawValue`; nil for an absent volume.
    let columns: [Int?]
    /// The header's 1-based line.
    let line: Int

    /// Resolves the column names of the header at `line`.
    /// - Throws: when a required column is missing or a field is named twice.
    init(names: [String], line: Int, source: String, looksLikeData: Bool) throws(BarFileError) {
        var columns = [Int?](repeating: nil, count: BarField.allCases.count)
        var fields = [BarField?](repeating: nil, count: names.count)
        for (index, name) in names.enumerated() {
            let key = name.lowercased()
            guard let field = BarField.allCases.first(where: { $0.acceptedNames.contains(key) }) else { continue }
            if let earlier = columns[field.rawValue] {
                var message = "the columns '\(names[earlier])' and '\(name)' both name the \(field.name): rename or remove one of them"
                if field == .time {
                    message += " (a date and a time of day in two columns must be merged into one, such as 2017-04-19 09:00:00)"
                }
                throw BarFileError(path: source, line: line, message: message)
            }
            columns[field.rawValue] = index
            fields[index] = field
        }
        if columns[BarField.time.rawValue] == nil, names.first?.isEmpty == true {
            columns[BarField.time.rawValue] = 0
            fields[0] = .time
        }
        let missing = BarField.required.filter { columns[$0.rawValue] == nil }
        if !missing.isEmpty {
            throw BarFileError(
                path: source, line: line,
                message:
                    Self.missingColumnsMessage(missing, found: names, looksLikeData: looksLikeData))
        }
        self.names = names
        self.fields = fields
        self.columns = columns
        self.line = line
    }

    /// The column holding a field (which must be present).
    func column(of field: BarField) -> Int { columns[field.rawValue]! }

    /// The header's name of the column holding a field (which must be present).
    func name(of field: BarField) -> String { names[column(of: field)] }

    private static func missingColumnsMessage(_ missing: [BarField], found names: [String], looksLikeData: Bool) -> String {
        let what =
            missing.count == 1
            ? "the \(missing[0].name) column"
            : "the columns " + missing.map(\.name).joined(separator: ", ")
        let found = names.map { "'\($0)'" }.joined(separator: ", ")
        var message =
            "missing \(what); the header has \(found). A bar file needs a time column (named time, "
            + "timestamp, date or datetime, or an unnamed first column) and open, high, low and close; volume is "
            + "optional; names may be in any case, and o, h, l, c, v, t work too"
        if looksLikeData {
            message += ". The first line looks like data: add a header line such as 'time,open,high,low,close,volume'"
        }
        return message
    }

    /// The delimiter of a header line: a comma if it has one outside quotes, else a semicolon,
    /// else a tab; a comma if it has none (it then fails as one column).
    static func delimiter(ofLineAt start: Int, in bytes: UnsafePointer<UInt8>, count: Int) -> UInt8 {
        var sawSemicolon = false
        var sawTab = false
        var inQuotes = false
        var p = start
        while p < count {
            let byte = bytes[p]
            if byte == CSVByte.quote {
                inQuotes.toggle()
            } else if !inQuotes {
                if byte == CSVByte.comma { return CSVByte.comma }
                if byte == CSVByte.lineFeed || byte == CSVByte.carriageReturn { break }
                if byte == CSVByte.semicolon { sawSemicolon = true }
                if byte == CSVByte.tab { sawTab = true }
            }
            p += 1
        }
        return sawSemicolon ? CSVByte.semicolon : sawTab ? CSVByte.tab : CSVByte.comma
    }
}
