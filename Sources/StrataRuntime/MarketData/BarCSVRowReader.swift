/// The fields of the current row that hold a bar's values, found by `BarCSVHeader`.
private struct BarFieldSpans {
    var time = CSVField(), open = CSVField(), high = CSVField(), low = CSVField(), close = CSVField()
    var volume = CSVField()

    @inline(__always)
    mutating func set(_ field: BarField, to span: CSVField) {
        switch field {
        case .time: time = span
        case .open: open = span
        case .high: high = span
        case .low: low = span
        case .close: close = span
        case .volume: volume = span
        }
    }
}

/// Reads one bar file's header and rows, checking each row as it goes (the work behind
/// `BarCSVReader.parse`).
struct BarCSVRowReader {
    private let bytes: UnsafePointer<UInt8>
    private let count: Int
    private let source: String
    private var scanner: CSVFieldScanner

    init(bytes: UnsafePointer<UInt8>, count: Int, source: String) {
        self.bytes = bytes
        self.count = count
        self.source = source
        let byteOrderMark = count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        scanner = CSVFieldScanner(
            bytes: bytes, count: count, position: byteOrderMark ? 3 : 0, line: 1,
            delimiter: CSVByte.comma, source: source)
    }

    /// Reads the header, then every row, into bars.
    mutating func readAll() throws(BarFileError) -> [Bar] {
        let header = try readHeader()
        var bars: [Bar] = []
        var previousTime = -Double.infinity
        var previousTimeField = CSVField()
        var previousLine = 0
        let columnCount = header.names.count
        let hasVolume = header.columns[BarField.volume.rawValue] != nil

        while !scanner.isAtEnd {
            let line = scanner.line
            let rowStart = scanner.position
            var spans = BarFieldSpans()
            var fieldCount = 0
            var field: CSVField
            repeat {
                field = try scanner.nextField()
                if fieldCount < columnCount, let role = header.fields[fieldCount] { spans.set(role, to: field) }
                fieldCount += 1
            } while !field.endsLine
            if fieldCount == 1 && field.isEmpty && !field.quoted { continue }  // a blank line
            guard fieldCount == columnCount else {
                throw BarFileError(
                    path: source, line: line,
                    message: "expected \(columnCount) fields, as in the "
                        + "header on line \(header.line), but found \(fieldCount): check for a missing or extra "
                        + "\(delimiterName), or quote a field that contains one")
            }

            let time: Double
            do throws(BarTimestampError) {
                time = try BarTimestampParser.parse(bytes, from: spans.time.start, to: spans.time.end)
            } catch {
                throw BarFileError(path: source, line: line, column: header.name(of: .time), message: error.message)
            }
            let open = try number(spans.open, .open, header, line)
            let high = try number(spans.high, .high, header, line)
            let low = try number(spans.low, .low, header, line)
            let close = try number(spans.close, .close, header, line)
            var volume = 0.0
            if hasVolume && !spans.volume.isEmpty {
                volume = try number(spans.volume, .volume, header, line)
                if volume < 0 {
                    throw error(line, .volume, header, "volume \(text(spans.volume)) is negative: a volume is 0 or more")
                }
            }
            if !(low <= high) {
                throw error(
                    line, .high, header,
                    "high \(text(spans.high)) is below low \(text(spans.low)) (column "
                        + "'\(header.name(of: .low))'): the high is the bar's highest price and the low its lowest — "
                        + "are the columns swapped?")
            }
            if !(low <= open && open <= high) { throw outsideRange(line, .open, spans, header) }
            if !(low <= close && close <= high) { throw outsideRange(line, .close, spans, header) }
            if !(time > previousTime) {
                throw unordered(
                    line, spans.time, after: previousLine, previousTimeField,
                    newestFirst: bars.count == 1 && time < previousTime, header)
            }
            previousTime = time
            previousTimeField = spans.time
            previousLine = line

            if bars.isEmpty {
                // Room for the whole file if its rows are about as long as the first one.
                bars.reserveCapacity((count - rowStart) / max(scanner.position - rowStart, 1) + 16)
            }
            bars.append(Bar(time: time, open: open, high: high, low: low, close: close, volume: volume))
        }
        guard !bars.isEmpty else {
            throw BarFileError(
                path: source, line: header.line,
                message:
                    "the file has a header but no rows: add one line per bar, oldest first")
        }
        return bars
    }

    /// Skips blank lines, then reads the column names and the delimiter.
    private mutating func readHeader() throws(BarFileError) -> BarCSVHeader {
        guard scanner.skipBlankLines() else {
            throw BarFileError(path: source, message: BarCSVReader.emptyFileMessage)
        }
        let delimiter = BarCSVHeader.delimiter(ofLineAt: scanner.position, in: bytes, count: count)
        scanner = CSVFieldScanner(
            bytes: bytes, count: count, position: scanner.position, line: scanner.line,
            delimiter: delimiter, source: source)
        let line = scanner.line
        var names: [String] = []
        var firstField = CSVField()
        var field: CSVField
        repeat {
            field = try scanner.nextField()
            if names.isEmpty { firstField = field }
            names.append(scanner.text(of: field))
        } while !field.endsLine
        let looksLikeData = BarTimestampParser.isTime(bytes, from: firstField.start, to: firstField.end)
        return try BarCSVHeader(names: names, line: line, source: source, looksLikeData: looksLikeData)
    }

    /// The finite number in a price or volume field.
    @inline(__always)
    private func number(_ field: CSVField, _ role: BarField, _ header: BarCSVHeader, _ line: Int) throws(BarFileError) -> Double {
        if let value = DecimalNumberParser.parse(bytes, from: field.start, to: field.end), value.isFinite {
            return value
        }
        throw notANumber(field, role, header, line)
    }

    @inline(never)
    private func notANumber(_ field: CSVField, _ role: BarField, _ header: BarCSVHeader, _ line: Int) -> BarFileError {
        let text = text(field)
        let message: String
        if field.isEmpty {
            message = "expected a number, got an empty field: every row needs its open, high, low and close"
        } else if DecimalNumberParser.parse(bytes, from: field.start, to: field.end) != nil {
            message = "\(text) is too large: expected a finite number"
        } else if ["nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"].contains(text.lowercased()) {
            message = "expected a finite number, got \"\(text)\": fill in the missing value or drop the row"
        } else {
            message = "expected a number, got \"\(text)\""
        }
        return error(line, role, header, message)
    }

    @inline(never)
    private func outsideRange(_ line: Int, _ role: BarField, _ spans: BarFieldSpans, _ header: BarCSVHeader) -> BarFileError {
        let value = role == .open ? spans.open : spans.close
        return error(
            line, role, header,
            "\(role.name) \(text(value)) is outside the bar's range, low "
                + "\(text(spans.low)) to high \(text(spans.high)): fix the \(role.name), or the high or low")
    }

    @inline(never)
    private func unordered(
        _ line: Int, _ time: CSVField, after previousLine: Int, _ previousTime: CSVField,
        newestFirst: Bool, _ header: BarCSVHeader
    ) -> BarFileError {
        var message =
            "time \"\(text(time))\" is not after \"\(text(previousTime))\" on line \(previousLine): "
            + "rows must be in increasing time order, each time once; sort the file by time and drop repeated rows"
        if newestFirst { message += " (this file seems to list the newest bar first: reverse its rows)" }
        return error(line, .time, header, message)
    }

    private func error(_ line: Int, _ role: BarField, _ header: BarCSVHeader, _ message: String) -> BarFileError {
        BarFileError(path: source, line: line, column: header.name(of: role), message: message)
    }

    private func text(_ field: CSVField) -> String { scanner.text(of: field) }

    private var delimiterName: String {
        scanner.delimiter == CSVByte.tab ? "tab" : "'\(Character(UnicodeScalar(scanner.delimiter)))'"
    }
}
