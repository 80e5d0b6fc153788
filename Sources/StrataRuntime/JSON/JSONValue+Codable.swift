import Foundation

extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int64.self) {
            self = .integer(i)
        } else if let d = try? container.decode(Double.self) {
            self = .number(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .integer(let i): try container.encode(i)
        // JSON has no NaN or infinities: they are encoded as null rather than failing.
        case .number(let d): d.isFinite ? try container.encode(d) : try container.encodeNil()
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}

extension JSONValue {
    /// Parses JSON text (strict RFC 8259, see ``JSONParser``); nil when it is not valid JSON.
    public init?(parsing text: String) {
        guard let value = JSONParser.parse(text) else { return nil }
        self = value
    }

    /// Parses what a client sent, under stricter rules than ``init(parsing:)``: UTF-8 only, no
    /// duplicate keys, no integers beyond ±2^53, at most `maxDepth` levels of nesting. The cost
    /// is linear in the input, and a document past the depth bound is refused at that level.
    public static func parseRequest(_ bytes: [UInt8], maxDepth: Int) -> Result<JSONValue, JSONSyntaxError> {
        JSONParser.parse(bytes: bytes, rules: .request(maxDepth: maxDepth))
    }

    /// Compact JSON text with sorted keys.
    public func encoded(pretty: Bool = false) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
