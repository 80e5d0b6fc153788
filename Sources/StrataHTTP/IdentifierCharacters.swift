/// Characters no identifier may hold — instance id, account, market, strategy type — wherever
/// it enters (a body, a path, a query). Shown in a list, a terminal or a log, such a name could
/// look like another, hide text, or reorder the text around it.
///
/// The list is data, kept equal to the `pattern` of the names in schemas/openapi.yaml (a test
/// derives one from the other), so that what the document allows is exactly what the server takes.
enum IdentifierCharacters {
    /// Refused anywhere in a name, by kind.
    static let refused: [(kind: String, ranges: [ClosedRange<UInt32>])] = [
        ("control characters", [0x00...0x1F, 0x7F...0x9F]),
        (
            "invisible formatting characters (bidirectional controls, zero-width characters, tags)",
            [
                0xAD...0xAD, 0x600...0x605, 0x61C...0x61C, 0x6DD...0x6DD, 0x70F...0x70F, 0x890...0x891, 0x8E2...0x8E2,
                0x180E...0x180E, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x206F, 0xFEFF...0xFEFF,
                0xFFF9...0xFFFB, 0x110BD...0x110BD, 0x110CD...0x110CD, 0x13430...0x1343F, 0x1BCA0...0x1BCA3,
                0x1D173...0x1D17A, 0xE0001...0xE0001, 0xE0020...0xE007F,
            ]
        ),
        ("line or paragraph separators", [0x2028...0x2029]),
        ("private-use characters", [0xE000...0xF8FF, 0xF0000...0xFFFFF, 0x100000...0x10FFFF]),
        ("noncharacters", [0xFDD0...0xFDEF, 0xFFFE...0xFFFF] + (1...16).map { UInt32($0) << 16 | 0xFFFE...UInt32($0) << 16 | 0xFFFF }),
    ]

    /// Spaces a name may hold inside but not at either end.
    static let edgeSpaces: [ClosedRange<UInt32>] = [
        0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000,
    ]

    /// The longest identifier accepted in a path or a query (ids are at most 64, names 100).
    static let maxQueryLength = 256

    /// Why `text` cannot be an identifier because of a character it holds, or nil.
    static func problem(_ text: String) -> String? {
        for scalar in text.unicodeScalars {
            if let kind = refusedKind(scalar) {
                return "must not contain \(kind) (U+\(hex(scalar.value)))"
            }
        }
        return nil
    }

    /// The kind of character `scalar` is, if refused.
    static func refusedKind(_ scalar: Unicode.Scalar) -> String? {
        refused.first { $0.ranges.contains { $0.contains(scalar.value) } }?.kind
    }

    /// Whether `scalar` is a space that may not start or end a name.
    static func isEdgeSpace(_ scalar: Unicode.Scalar) -> Bool {
        edgeSpaces.contains { $0.contains(scalar.value) }
    }

    /// The regular expression of a name: no refused character, no space at either end.
    static var namePattern: String {
        let all = refused.flatMap(\.ranges)
        let inner = "[^" + all.map(classRange).joined() + "]"
        let outer = "[^" + (all + edgeSpaces).map(classRange).joined() + "]"
        return "^\(outer)(\(inner)*\(outer))?$"
    }

    /// The regular expression of an identifier in a path or a query: 1–256 characters, none
    /// refused. (The bound is in the pattern: Schemathesis rewrites a pattern it has to merge
    /// with `maxLength` into a form its own validator then refuses.)
    static var textPattern: String {
        "^[^" + refused.flatMap(\.ranges).map(classRange).joined() + "]{1,\(maxQueryLength)}$"
    }

    private static func classRange(_ range: ClosedRange<UInt32>) -> String {
        range.lowerBound == range.upperBound ? escape(range.lowerBound) : escape(range.lowerBound) + "-" + escape(range.upperBound)
    }

    /// `\uXXXX` in the Basic Multilingual Plane; above it the character itself, which every
    /// regular-expression dialect reads alike (`\U` and `\u{…}` are not portable).
    private static func escape(_ value: UInt32) -> String {
        guard value > 0xFFFF, let scalar = Unicode.Scalar(value) else { return "\\u" + hex(value) }
        return String(Character(scalar))
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return digits.count >= 4 ? digits : String(repeating: "0", count: 4 - digits.count) + digits
    }
}
