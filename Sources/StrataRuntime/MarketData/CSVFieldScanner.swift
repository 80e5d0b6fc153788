import Foundation

/// Where one field of a CSV line lies in the input, and whether it ended its line.
struct CSVField {
    /// The first byte of the value (after the opening quote if quoted, after leading spaces).
    var start = 0
    /// One past the last byte of the value (before the closing quote or trailing spaces).
    var end = 0
    /// Whether the field was in double quotes; its bytes may then hold `""` for one quote.
    var quoted = false
    /// Whether a line end (or the end of the input) follows the field rather than a delimiter.
    var endsLine = false

    var isEmpty: Bool { start == end }
}

/// Walks CSV bytes one field at a time without copying them, counting lines as an editor does.
///
/// Reads RFC 4180 as files have it: fields split by one delimiter byte; a field in double quotes
/// may hold delimiters, line ends and `""` (one quote); spaces around a field are not part of it;
/// lines end with LF, CRLF or a lone CR.
struct CSVFieldScanner {
    private let bytes: UnsafePointer<UInt8>
    private let count: Int
    private let source: String
    /// The byte that separates fields: `,`, `;` or a tab.
    let delimiter: UInt8
    private let delimiterInEveryByte: UInt64
    /// The offset of the next byte to read.
    private(set) var position: Int
    /// The 1-based line of the next byte to read.
    private(set) var line: Int

    init(bytes: UnsafePointer<UInt8>, count: Int, position: Int, line: Int, delimiter: UInt8, source: String) {
        self.bytes = bytes
        self.count = count
        self.position = position
        self.line = line
        self.delimiter = delimiter
        self.delimiterInEveryByte = UInt64(delimiter) &* Self.lowBitOfEveryByte
        self.source = source
    }

    var isAtEnd: Bool { position >= count }

    /// Reads the next field and the delimiter or line end after it.
    @inline(__always)
    mutating func nextField() throws(BarFileError) -> CSVField {
        var p = position
        while p < count && isSpace(bytes[p]) { p += 1 }
        var field = CSVField()
        if p < count && bytes[p] == CSVByte.quote {
            p = try scanQuoted(from: p, into: &field)
        } else {
            field.start = p
            p = endOfUnquotedField(from: p)
            var end = p
            while end > field.start && isSpace(bytes[end - 1]) { end -= 1 }
            field.end = end
        }
        if p >= count {
            field.endsLine = true
        } else if bytes[p] == delimiter {
            p += 1
        } else {
            p = skipLineEnd(at: p)
            field.endsLine = true
        }
        position = p
        return field
    }

    /// Skips lines holding nothing but spaces; returns false when the input ends first.
    mutating func skipBlankLines() -> Bool {
        var p = position
        while p < count {
            let byte = bytes[p]
            if isSpace(byte) {
                p += 1
            } else if byte == CSVByte.lineFeed || byte == CSVByte.carriageReturn {
                p = skipLineEnd(at: p)
                position = p
            } else {
                return true
            }
        }
        position = count
        return false
    }

    /// The field's value as a string, with `""` in a quoted field read as one quote.
    func text(of field: CSVField) -> String {
        let text = String(
            decoding: UnsafeBufferPointer(start: bytes + field.start, count: field.end - field.start),
            as: UTF8.self)
        return field.quoted ? text.replacingOccurrences(of: "\"\"", with: "\"") : text
    }

    /// Scans a quoted field whose opening quote is at `quote`; returns the offset after it.
    private mutating func scanQuoted(from quote: Int, into field: inout CSVField) throws(BarFileError) -> Int {
        let openingLine = line
        var p = quote + 1
        field.start = p
        field.quoted = true
        while true {
            guard p < count else {
                throw BarFileError(
                    path: source, line: openingLine,
                    message:
                        "a quoted field is never closed: add the closing '\"' (write a quote inside a quoted field as '\"\"')")
            }
            let byte = bytes[p]
            if byte == CSVByte.quote {
                if p + 1 < count && bytes[p + 1] == CSVByte.quote {
                    p += 2
                    continue
                }
                break
            }
            if byte == CSVByte.lineFeed || (byte == CSVByte.carriageReturn && !(p + 1 < count && bytes[p + 1] == CSVByte.lineFeed)) {
                line += 1
            }
            p += 1
        }
        field.end = p
        p += 1
        while p < count && isSpace(bytes[p]) { p += 1 }
        if p < count, bytes[p] != delimiter, bytes[p] != CSVByte.lineFeed, bytes[p] != CSVByte.carriageReturn {
            throw BarFileError(
                path: source, line: line,
                message:
                    "text after a closing quote: put the whole field in quotes, or write a quote inside it as '\"\"'")
        }
        return p
    }

    /// The offset of the first delimiter, CR or LF at or after `p`, or `count`. Looks at eight
    /// bytes at a time (SWAR): most fields are shorter than 16 bytes, so this is one or two steps.
    @inline(__always)
    private func endOfUnquotedField(from start: Int) -> Int {
        var p = start
        while p + 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(bytes + p).loadUnaligned(as: UInt64.self))
            let stops =
                Self.zeroBytes(word ^ delimiterInEveryByte) | Self.zeroBytes(word ^ Self.lineFeedInEveryByte)
                | Self.zeroBytes(word ^ Self.carriageReturnInEveryByte)
            if stops != 0 { return p + stops.trailingZeroBitCount / 8 }
            p += 8
        }
        while p < count {
            let byte = bytes[p]
            if byte == delimiter || byte == CSVByte.lineFeed || byte == CSVByte.carriageReturn { break }
            p += 1
        }
        return p
    }

    private static let lowBitOfEveryByte: UInt64 = 0x0101_0101_0101_0101
    private static let lineFeedInEveryByte = UInt64(CSVByte.lineFeed) &* lowBitOfEveryByte
    private static let carriageReturnInEveryByte = UInt64(CSVByte.carriageReturn) &* lowBitOfEveryByte

    /// The high bit set in each zero byte of `word` (exact up to the lowest zero byte, which is
    /// all a scan for the first one needs: a borrow can only mark bytes above a real zero).
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- lowBitOfEveryByte) & ~word & 0x8080_8080_8080_8080
    }

    /// Consumes the LF, CRLF or CR at `p` and counts the line.
    @inline(__always)
    private mutating func skipLineEnd(at p: Int) -> Int {
        line += 1
        if bytes[p] == CSVByte.carriageReturn && p + 1 < count && bytes[p + 1] == CSVByte.lineFeed { return p + 2 }
        return p + 1
    }

    /// Spaces around a field are padding; so are tabs unless they separate the fields.
    @inline(__always)
    private func isSpace(_ byte: UInt8) -> Bool {
        byte == CSVByte.space || (byte == CSVByte.tab && delimiter != CSVByte.tab)
    }
}

/// The bytes the CSV reader looks for.
enum CSVByte {
    static let tab = UInt8(ascii: "\t")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let quote = UInt8(ascii: "\"")
    static let comma = UInt8(ascii: ",")
    static let semicolon = UInt8(ascii: ";")
    static let zero = UInt8(ascii: "0")
}
