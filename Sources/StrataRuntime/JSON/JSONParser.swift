/// A strict JSON (RFC 8259) parser into ``JSONValue``, over the text's UTF-8 bytes.
///
/// Foundation's `JSONDecoder` through `Codable` costs tens of microseconds even for a small
/// object (each value is tried as each type in turn); the store decodes one config per instance
/// row, so 10,000 rows paid for it on every read. It gives the values Foundation's decoder gives:
/// whole numbers that fit in 64 bits are integers (`2.5e1` too), all others doubles (non-finite
/// ones are refused); a duplicate key keeps its first value. Nesting deeper than `maxDepth` is
/// refused. Its cost is linear in the input: a deep document is refused at the first level past
/// the bound, before anything below it is looked at.
///
/// The ``Rules/request`` rules, for what a client sends, refuse more: input that is not UTF-8,
/// duplicate keys, and numbers beyond ±2^53 (integers a JavaScript client cannot hold exactly).
struct JSONParser {
    static let maxDepth = 512

    /// What the parser accepts beyond RFC 8259's grammar.
    struct Rules {
        /// The deepest nesting: `[]` or `{}` at the top is depth 1.
        var maxDepth: Int
        /// Refuse an object that names a key twice (else the first value is kept).
        var refusesDuplicateKeys: Bool
        /// Refuse numbers beyond ±2^53, all of them whole (else they are integers up to Int64, doubles past it).
        var refusesUnsafeIntegers: Bool
        /// Refuse bytes that are not UTF-8 (else they decode as U+FFFD).
        var requiresUTF8: Bool

        /// For stored data and the CLI: the grammar and a generous depth.
        static let lenient = Rules(maxDepth: JSONParser.maxDepth, refusesDuplicateKeys: false, refusesUnsafeIntegers: false, requiresUTF8: false)

        /// For request bodies: every check on.
        static func request(maxDepth: Int) -> Rules {
            Rules(maxDepth: maxDepth, refusesDuplicateKeys: true, refusesUnsafeIntegers: true, requiresUTF8: true)
        }
    }

    /// 2^53: the largest magnitude up to which every integer is exactly a double.
    static let maxSafeInteger: Int64 = 1 << 53

    private let bytes: [UInt8]
    private let rules: Rules
    private var index = 0
    /// Where the parser is: object keys and array indexes, for naming a bad value.
    private var path: [PathComponent] = []
    private(set) var failure: JSONSyntaxError?

    private enum PathComponent {
        case key(String)
        case index(Int)
    }

    /// The value of `text`, or nil when it is not exactly one JSON value (whitespace around it allowed).
    static func parse(_ text: String) -> JSONValue? {
        try? parse(bytes: Array(text.utf8), rules: .lenient).get()
    }

    /// The value of `bytes` under `rules`, or why not.
    static func parse(bytes: [UInt8], rules: Rules) -> Result<JSONValue, JSONSyntaxError> {
        var parser = JSONParser(bytes: bytes, rules: rules)
        if rules.requiresUTF8, let bad = Self.firstInvalidUTF8(bytes) {
            return .failure(JSONSyntaxError(message: "is not valid UTF-8 (byte \(bad))", offset: bad, path: ""))
        }
        guard let value = parser.value(depth: 0) else {
            return .failure(parser.failure ?? JSONSyntaxError(message: "is not valid JSON", offset: parser.index, path: ""))
        }
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else {
            return .failure(JSONSyntaxError(message: "is not valid JSON: text after the value at byte \(parser.index)", offset: parser.index, path: ""))
        }
        return .success(value)
    }

    private init(bytes: [UInt8], rules: Rules) {
        self.bytes = bytes
        self.rules = rules
    }

    /// The offset of the first byte that does not belong to a well-formed UTF-8 sequence, or nil.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        // Fast path: ASCII only.
        guard let firstHigh = bytes.firstIndex(where: { $0 >= 0x80 }) else { return nil }
        var decoder = UTF8()
        var iterator = bytes[firstHigh...].makeIterator()
        var offset = firstHigh
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// The path of the value being read, as a field name: `config.window`, `items[2]`.
    private var pathText: String {
        var text = ""
        for component in path {
            switch component {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// Records the first failure (with where it happened) and returns nil.
    private mutating func fail<T>(_ message: String, atPath: Bool = false) -> T? {
        if failure == nil {
            failure = JSONSyntaxError(message: message, offset: index, path: atPath ? pathText : "")
        }
        return nil
    }

    /// A syntax failure at the current byte.
    private mutating func unexpected<T>(_ expected: String) -> T? {
        guard let byte = current else { return fail("is not valid JSON: the text ends where \(expected) was expected") }
        let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        return fail("is not valid JSON: \(shown) at byte \(index) where \(expected) was expected")
    }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func value(depth: Int) -> JSONValue? {
        skipWhitespace()
        switch current {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < rules.maxDepth else { return fail("nests deeper than \(rules.maxDepth) levels") }
            return current == UInt8(ascii: "{") ? object(depth: depth) : array(depth: depth)
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        case let byte? where byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte): return number()
        default: return unexpected("a value")
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) -> JSONValue? {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return unexpected("a value") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return unexpected("a value") }
        index += count
        return value
    }

    private mutating func object(depth: Int) -> JSONValue? {
        index += 1  // {
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            // After a comma a key must follow: `{"a": 1,}` ends here.
            guard current == UInt8(ascii: "\"") else { return unexpected("a key in double quotes") }
            guard let key = string() else { return nil }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { return unexpected("':'") }
            index += 1
            path.append(.key(key))
            if members[key] != nil, rules.refusesDuplicateKeys { return fail("is a duplicate key", atPath: true) }
            guard let member = value(depth: depth + 1) else { return nil }
            path.removeLast()
            if members[key] == nil { members[key] = member }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .object(members)
            default: return unexpected("',' or '}'")
            }
        }
    }

    private mutating func array(depth: Int) -> JSONValue? {
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            path.append(.index(elements.count))
            // After a comma a value must follow: `[1,]` ends here.
            guard let element = value(depth: depth + 1) else { return nil }
            path.removeLast()
            elements.append(element)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default: return unexpected("',' or ']'")
            }
        }
    }

    /// A string token (the opening quote is current); escapes decoded, control characters refused.
    private mutating func string() -> String? {
        index += 1  // "
        let start = index
        // Fast path: no escapes.
        while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
            guard byte >= 0x20 else { return fail("is not valid JSON: a control character (0x\(String(byte, radix: 16))) in a string at byte \(index)") }
            index += 1
        }
        guard let stop = current else { return unexpected("'\"'") }
        if stop == UInt8(ascii: "\"") {
            index += 1
            return String(decoding: bytes[start..<index - 1], as: UTF8.self)
        }
        var scalars = Array(bytes[start..<index])
        while let byte = current {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = escape() else { return fail("is not valid JSON: a bad escape in a string at byte \(index - 1)") }
                scalars.append(contentsOf: String(escaped).utf8)
            case ..<0x20:
                return fail("is not valid JSON: a control character (0x\(String(byte, radix: 16))) in a string at byte \(index - 1)")
            default:
                scalars.append(byte)
            }
        }
        return unexpected("'\"'")
    }

    /// The character of an escape (the backslash consumed).
    private mutating func escape() -> Character? {
        guard let byte = current else { return nil }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            guard let high = hex4() else { return nil }
            if (0xD800..<0xDC00).contains(high) {
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else { return nil }
                index += 2
                guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)).map(Character.init)
            }
            return Unicode.Scalar(high).map(Character.init)
        default:
            return nil
        }
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func number() -> JSONValue? {
        let start = index
        func digits(_ parser: inout JSONParser) -> Int {
            let from = parser.index
            while let byte = parser.current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { parser.index += 1 }
            return parser.index - from
        }
        if current == UInt8(ascii: "-") { index += 1 }
        let leadingZero = current == UInt8(ascii: "0")
        let whole = digits(&self)
        guard whole > 0 else { return unexpected("a digit") }
        guard !(leadingZero && whole > 1) else { return fail("is not valid JSON: a number with a leading zero at byte \(start)") }
        var integral = true
        if current == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { return unexpected("a digit") }
            integral = false
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { return unexpected("a digit") }
            integral = false
        }
        let token = String(decoding: bytes[start..<index], as: UTF8.self)
        if rules.refusesUnsafeIntegers {
            // Past 2^53 every double is a whole number, and not every whole number a double: a
            // JavaScript client would read a different value. However it is written, it is refused.
            let beyond =
                integral
                ? Int64(token).map { $0.magnitude > Self.maxSafeInteger.magnitude } ?? true
                : Double(token).map { abs($0) > Double(Self.maxSafeInteger) } ?? true
            guard !beyond else {
                return fail(
                    "is a number beyond ±2^53 (\(Self.maxSafeInteger)), an integer JSON clients cannot hold exactly: \(token.prefix(40))",
                    atPath: true)
            }
        }
        if integral, let integer = Int64(token) { return .integer(integer) }
        guard let double = Double(token), double.isFinite else { return fail("is a number too large for a double: \(token.prefix(40))", atPath: true) }
        // As Foundation's decoder: a whole number written with a fraction or exponent is an integer.
        if double == double.rounded(), let integer = Int64(exactly: double) { return .integer(integer) }
        return .number(double)
    }
}

/// Why a text is not accepted JSON: a message, the byte offset, and the path of the value at
/// fault when there is one (`config.window`, `items[2]`; empty for the document as a whole).
public struct JSONSyntaxError: Error, Sendable, Equatable {
    public var message: String
    public var offset: Int
    public var path: String
}
