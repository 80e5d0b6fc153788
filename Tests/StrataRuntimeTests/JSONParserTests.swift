import Foundation
import Testing

@testable import StrataRuntime

/// The JSON parser against Foundation's decoder: the same values for valid text, nil for text
/// that is not JSON.
@Suite struct JSONParserTests {
    static func foundation(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test(arguments: [
        "{}", "[]", "null", "true", "false", "0", "-0", "42", "-7", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "1.5", "-2.25e3", "1E+2", "0.000001", "\"\"", "\"plain\"", "\"a\\\"b\\\\c\\/d\"",
        "\"\\b\\f\\n\\r\\t\"", "\"\\u00e9\\u4e2d\"", "\"\\ud83d\\ude00\"", "\"é中😀\"", " { \"a\" : [ 1 , 2.5 , { \"b\" : null } ] } ",
        "{\"window\":20,\"qty\":0.5,\"side\":\"long\",\"on\":true}", "[[[[[]]]]]", "{\"a\":1,\"a\":2}", "1.0", "2.50e1", "-0.0", "1e20", "123456789.125",
    ])
    func validTextParsesAsFoundationDoes(_ text: String) {
        let parsed = JSONValue(parsing: text)
        #expect(parsed != nil)
        #expect(parsed == Self.foundation(text), "\(text)")
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{a:1}", "01", "1.", ".5", "1e", "-", "+1", "tru", "nul", "\"open",
        "\"bad \\x escape\"", "\"\\u12\"", "\"\\ud83d\"", "\"\\ude00\"", "\"tab\there\"", "[1 2]", "1 2", "NaN", "Infinity",
        "1e999", "{\"a\" 1}", "[", "\"\\u00zz\"",
    ])
    func invalidTextIsRefused(_ text: String) {
        #expect(JSONValue(parsing: text) == nil, "\(text)")
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(JSONValue(parsing: deep) == nil)
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(JSONValue(parsing: fine) != nil)
    }

    @Test func encodedValuesParseBack() {
        let value: JSONValue = .object([
            "a": .array([.integer(1), .number(2.5), .string("x\n\"y\" é"), .bool(false), .null]),
            "b": .object([:]),
        ])
        #expect(JSONValue(parsing: value.encoded()) == value)
        #expect(JSONValue(parsing: value.encoded(pretty: true)) == value)
    }
}
