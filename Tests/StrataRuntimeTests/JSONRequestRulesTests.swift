import Foundation
import Testing

@testable import StrataRuntime

/// The stricter rules for what a client sends (``JSONValue/parseRequest(_:maxDepth:)``): each
/// refusal names the path of the bad value when there is one.
@Suite struct JSONRequestRulesTests {
    static func failure(_ text: String, maxDepth: Int = 32) -> JSONSyntaxError? {
        failure(Array(text.utf8), maxDepth: maxDepth)
    }

    static func failure(_ bytes: [UInt8], maxDepth: Int = 32) -> JSONSyntaxError? {
        if case .failure(let error) = JSONValue.parseRequest(bytes, maxDepth: maxDepth) { return error }
        return nil
    }

    @Test func acceptsWhatTheLenientRulesAcceptWithinTheBounds() throws {
        let text = "{\"a\": [1, 2.5, {\"b\": null}], \"c\": \"é中😀\", \"d\": 9007199254740992, \"e\": 1e-300}"
        #expect(try JSONValue.parseRequest(Array(text.utf8), maxDepth: 3).get() == JSONValue(parsing: text))
    }

    @Test func refusesDuplicateKeysByTheirPath() {
        #expect(Self.failure("{\"a\": 1, \"a\": 2}")?.path == "a")
        #expect(Self.failure("{\"x\": [0, {\"k\": 1, \"k\": 1}]}")?.path == "x[1].k")
        #expect(Self.failure("{\"x\": [0, {\"k\": 1, \"k\": 1}]}")?.message == "is a duplicate key")
    }

    @Test func refusesIntegersBeyondTwoToThe53() throws {
        for text in ["9007199254740993", "-9007199254740993", "9223372036854775808", "1" + String(repeating: "0", count: 40)] {
            let error = Self.failure("{\"n\": [\(text)]}")
            #expect(error?.path == "n[0]", "\(text)")
            #expect(error?.message.contains("beyond ±2^53") == true, "\(text)")
        }
        // However written: past 2^53 every number is a whole one
        for text in ["1e20", "-9.1e15", "1.5e300", "9007199254740994.0"] {
            #expect(Self.failure(text)?.message.contains("beyond ±2^53") == true, "\(text)")
        }
        #expect(try JSONValue.parseRequest(Array("9.007199254740992e15".utf8), maxDepth: 1).get() == .integer(9_007_199_254_740_992))
        #expect(try JSONValue.parseRequest(Array("0.5e-300".utf8), maxDepth: 1).get() == .number(0.5e-300))
        #expect(try JSONValue.parseRequest(Array("-9007199254740992".utf8), maxDepth: 1).get() == .integer(-9_007_199_254_740_992))
    }

    @Test func refusesInvalidUTF8AnywhereWithItsOffset() {
        #expect(Self.failure([0x22, 0x61, 0xFF, 0x22])?.offset == 2)
        #expect(Self.failure([0x22, 0xC3, 0x22])?.message.contains("UTF-8") == true)
        #expect(Self.failure([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]) != nil, "past U+10FFFF")
        #expect(Self.failure([0x22, 0xE0, 0x80, 0xAF, 0x22]) != nil, "overlong")
    }

    @Test func refusesTrailingCommasAndSaysWhere() {
        #expect(Self.failure("[1,]")?.message == "is not valid JSON: ']' at byte 3 where a value was expected")
        #expect(Self.failure("{\"a\": 1,}")?.message == "is not valid JSON: '}' at byte 8 where a key in double quotes was expected")
        #expect(Self.failure("{\"a\": 1} x")?.message.contains("text after the value") == true)
        #expect(Self.failure("")?.message.contains("the text ends") == true)
    }

    @Test func refusesNestingPastTheBoundAtOnceWhateverFollows() {
        #expect(Self.failure("[[[]]]", maxDepth: 2)?.message == "nests deeper than 2 levels")
        #expect(Self.failure("[[[]]]", maxDepth: 3) == nil)
        #expect(Self.failure("{\"a\": {\"b\": {}}}", maxDepth: 2)?.message == "nests deeper than 2 levels")
        // Unclosed, the document is refused for its depth, not its end
        #expect(Self.failure(String(repeating: "[{\"a\":", count: 50_000), maxDepth: 32)?.message == "nests deeper than 32 levels")
    }
}
