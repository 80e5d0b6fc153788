import Foundation
import Testing

@testable import StrataRuntime

/// Render outputs that match `schemas/widgets.schema.json`.
///
/// The JSON literals in this file (`#"…"#`) were also run once through Python's `jsonschema`
/// (Draft 2020-12) to confirm that this interpreter agrees with a full validator on them.
private let validOutputs: [String] = [
    #"{"widgets": []}"#,
    #"{"widgets": [{"type": "line_chart", "series": [{"name": "price", "data": [1, 2.5, -3, 1e-3, 4E+2]}]}]}"#,
    #"{"widgets": [{"type": "line_chart", "id": "px", "title": "Price", "y_label": "USDT", "series": [{"name": "fast", "data": [{"t": 1700000000, "v": 42000.5}, {"t": 1700000060.5, "v": 42001}]}, {"name": "slow", "data": [3, 4]}]}]}"#,
    #"{"widgets": [{"type": "line_chart", "series": []}, {"type": "line_chart", "series": [{"name": "empty", "data": []}]}]}"#,
    #"{"widgets": [{"type": "candles", "title": "BTC", "data": [{"t": 0, "o": 1, "h": 2, "l": 0.5, "c": 1.5, "v": 10}, {"t": 60, "o": 1.5, "h": 1.6, "l": 1.4, "c": 1.4}]}]}"#,
    #"{"widgets": [{"type": "metric", "label": "PnL", "value": -12.25, "unit": "USDT"}, {"type": "metric", "id": "pos", "label": "Position", "value": "flat"}]}"#,
    #"{"widgets": [{"type": "table", "title": "Orders", "columns": ["id", "qty", "filled", "note"], "rows": [["a1", 0.5, true, null], [7, 1, false, "x"]]}]}"#,
    #"{"widgets": [{"type": "table", "columns": [], "rows": [[]]}]}"#,
    #"{"widgets": [{"type": "text", "title": "Notes", "text": "<b>not html</b>"}, {"type": "log", "lines": ["started", "bought 0.01"]}, {"type": "log", "id": "l", "title": "Log", "lines": []}]}"#,
]

/// Render outputs that do not match, with every message the validator gives for each.
private let invalidOutputs: [InvalidOutput] = [
    InvalidOutput(#""just text""#, [#"(root): expected object, got string"#]),
    InvalidOutput(#"{}"#, [#"(root): missing required property "widgets""#]),
    InvalidOutput(#"{"widgets": [], "title": "x"}"#, [#"(root): unexpected property "title" (allowed: widgets)"#]),
    InvalidOutput(#"{"widgets": "none"}"#, [#"widgets: expected array, got string"#]),
    InvalidOutput(
        #"{"widgets": [{"type": "text", "text": "a"}, {"type": "pie", "slices": [1, 2]}]}"#,
        [#"widgets[1].type: unknown widget type "pie" (expected one of line_chart, candles, metric, table, text, log)"#]),
    InvalidOutput(
        #"{"widgets": [{"type": 3}]}"#,
        [#"widgets[0].type: unknown widget type 3 (expected one of line_chart, candles, metric, table, text, log)"#]),
    InvalidOutput(
        #"{"widgets": [{"label": "PnL", "value": 1}]}"#,
        [#"widgets[0]: missing required property "type" (expected one of line_chart, candles, metric, table, text, log)"#]),
    InvalidOutput(#"{"widgets": ["metric"]}"#, [#"widgets[0]: expected object, got string"#]),
    InvalidOutput(#"{"widgets": [{"type": "metric", "label": "PnL"}]}"#, [#"widgets[0]: missing required property "value""#]),
    InvalidOutput(
        #"{"widgets": [{"type": "metric", "label": "PnL", "value": true}]}"#,
        [#"widgets[0].value: expected number or string, got boolean"#]),
    InvalidOutput(
        #"{"widgets": [{"type": "metric", "label": "PnL", "valu": 1}]}"#,
        [
            #"widgets[0]: missing required property "value""#,
            #"widgets[0]: unexpected property "valu" (allowed: id, label, type, unit, value)"#,
        ]),
    InvalidOutput(
        #"{"widgets": [{"type": "line_chart", "colour": "red", "series": []}]}"#,
        [#"widgets[0]: unexpected property "colour" (allowed: id, series, title, type, y_label)"#]),
    InvalidOutput(
        #"{"widgets": [{"type": "text", "text": "a"}, {"type": "log", "lines": []}, {"type": "line_chart", "series": [{"name": "p", "data": [1, 2, 3, 4, 5, "6"]}]}]}"#,
        [#"widgets[2].series[0].data[5]: expected number, got string"#]),
    InvalidOutput(
        #"{"widgets": [{"type": "line_chart", "series": [{"name": "p", "data": [{"t": 1, "v": 2}, {"t": 2, "v": "3"}]}]}]}"#,
        [#"widgets[0].series[0].data[1].v: expected number, got string"#]),
    InvalidOutput(
        #"{"widgets": [{"type": "line_chart", "series": [{"name": "p", "data": [{"t": 1, "v": 2}, 5]}]}]}"#,
        [#"widgets[0].series[0].data[1]: expected object, got integer"#]),
    InvalidOutput(
        #"{"widgets": [{"type": "line_chart", "series": [{"name": "p", "data": [{"t": 1}]}]}]}"#,
        [#"widgets[0].series[0].data[0]: missing required property "v""#]),
    InvalidOutput(
        #"{"widgets": [{"type": "line_chart", "series": [{"name": "p", "data": "1,2,3"}]}]}"#,
        [#"widgets[0].series[0].data: expected array, got string"#]),
    InvalidOutput(
        #"{"widgets": [{"type": "candles", "data": [{"t": 0, "o": 1, "h": 2, "l": 0.5}]}]}"#,
        [#"widgets[0].data[0]: missing required property "c""#]),
    InvalidOutput(
        #"{"widgets": [{"type": "table", "columns": ["a", 1], "rows": [["x"], ["y", 2, {"z": 1}]]}]}"#,
        [
            #"widgets[0].columns[1]: expected string, got integer"#,
            #"widgets[0].rows[1][2]: expected string, number, boolean or null, got object"#,
        ]),
    InvalidOutput(
        #"{"widgets": [{"type": "log", "lines": ["ok", 2]}, {"type": "text"}]}"#,
        [#"widgets[0].lines[1]: expected string, got integer"#, #"widgets[1]: missing required property "text""#]),
]

/// One invalid render output and the messages expected for it.
struct InvalidOutput: Sendable, CustomTestStringConvertible {
    var json: String
    var errors: [String]
    init(_ json: String, _ errors: [String]) {
        self.json = json
        self.errors = errors
    }
    var testDescription: String { json }
}

private func parse(_ json: String) throws -> JSONValue {
    try #require(JSONValue(parsing: json), "test JSON does not parse: \(json)")
}

@Suite struct WidgetValidatorTests {
    @Test(arguments: validOutputs)
    func acceptsValidOutput(_ json: String) throws {
        #expect(WidgetValidator.shared.validate(try parse(json)) == [])
    }

    @Test(arguments: invalidOutputs)
    func reportsEachViolationWithItsPath(_ example: InvalidOutput) throws {
        #expect(WidgetValidator.shared.validate(try parse(example.json)) == example.errors)
    }

    @Test func acceptsTheDesignDocumentExample() {
        // What DESIGN.md §2's render() produces once converted from Lua.
        let output: JSONValue = .object([
            "widgets": .array([
                .object([
                    "type": .string("line_chart"), "title": .string("Price"),
                    "series": .array([
                        .object(["name": .string("price"), "data": .array([.number(1.5), .integer(2)])])
                    ]),
                ]),
                .object(["type": .string("metric"), "label": .string("PnL"), "value": .number(0)]),
            ])
        ])
        #expect(WidgetValidator.shared.validate(output) == [])
    }

    // MARK: Empty Lua tables, which are both [] and {}

    @Test func acceptsAnEmptyArrayWhereAnObjectIsExpected() {
        let output: JSONValue = .object([
            "widgets": .array([
                .object([
                    "type": .string("line_chart"),
                    "series": .array([
                        .object(["name": .string("p"), "data": .array([.array([])])])
                    ]),
                ])
            ])
        ])
        // The empty table is taken as an empty {t, v} object, which then lacks t and v.
        #expect(
            WidgetValidator.shared.validate(output) == [
                #"widgets[0].series[0].data[0]: missing required property "t""#,
                #"widgets[0].series[0].data[0]: missing required property "v""#,
            ])
        #expect(WidgetValidator.shared.validate(.array([])) == [#"(root): missing required property "widgets""#])
    }

    @Test func acceptsAnEmptyObjectWhereAnArrayIsExpected() {
        let empty = JSONValue.object([:])
        let output: JSONValue = .object([
            "widgets": .array([
                .object(["type": .string("line_chart"), "series": .array([.object(["name": .string("p"), "data": empty])])]),
                .object(["type": .string("table"), "columns": empty, "rows": .array([empty])]),
                .object(["type": .string("log"), "lines": empty]),
            ])
        ])
        #expect(WidgetValidator.shared.validate(output) == [])
        #expect(WidgetValidator.shared.validate(.object(["widgets": empty])) == [])
    }

    @Test func anEmptyTableAsAWidgetLacksItsType() {
        #expect(
            WidgetValidator.shared.validate(.object(["widgets": .array([.array([])])])) == [
                #"widgets[0]: missing required property "type" (expected one of line_chart, candles, metric, table, text, log)"#
            ])
    }

    // MARK: Numbers

    @Test func rejectsNumbersThatJSONCannotCarry() {
        let data: JSONValue = .array([.number(1), .number(.nan), .number(.infinity), .number(-.infinity)])
        let output: JSONValue = .object([
            "widgets": .array([
                .object(["type": .string("line_chart"), "series": .array([.object(["name": .string("p"), "data": data])])]),
                .object(["type": .string("metric"), "label": .string("ratio"), "value": .number(.nan)]),
            ])
        ])
        #expect(
            WidgetValidator.shared.validate(output) == [
                "widgets[0].series[0].data[1]: expected number, got NaN",
                "widgets[0].series[0].data[2]: expected number, got infinity",
                "widgets[0].series[0].data[3]: expected number, got -infinity",
                "widgets[1].value: expected number or string, got NaN",
            ])
    }

    @Test func capsTheNumberOfMessages() {
        let data = JSONValue.array(Array(repeating: .string("x"), count: 100))
        let output: JSONValue = .object([
            "widgets": .array([
                .object(["type": .string("line_chart"), "series": .array([.object(["name": .string("p"), "data": data])])])
            ])
        ])
        let errors = WidgetValidator.shared.validate(output)
        #expect(errors.count == WidgetValidator.maxReportedErrors + 1)
        #expect(errors.first == "widgets[0].series[0].data[0]: expected number, got string")
        #expect(errors.last == "(80 more errors not shown)")
    }

    // MARK: The schema itself

    @Test func embeddedSchemaEqualsTheFileInSchemas() throws {
        let repositoryRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // StrataRuntimeTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
        let file = try Data(contentsOf: repositoryRoot.appendingPathComponent("schemas/widgets.schema.json"))
        #expect(
            Data(WidgetSchemaText.widgets.utf8) == file,
            "WidgetSchemaText.widgets is out of date: regenerate it as its doc comment says")
    }

    @Test func embeddedSchemaParses() throws {
        let schema = try JSONSchemaSubset(parsing: WidgetSchemaText.widgets)
        #expect(schema.definitions["widget"]?.oneOf?.count == 6)
    }

    @Test func refusesKeywordsOutsideTheSubset() {
        #expect(throws: JSONSchemaSubsetError(location: "#/properties/a", message: "unsupported keyword pattern")) {
            try JSONSchemaSubset(parsing: #"{"properties": {"a": {"type": "string", "pattern": "^x"}}}"#)
        }
        #expect(throws: JSONSchemaSubsetError(location: "#/$defs/nowhere", message: "$ref to a missing definition")) {
            try JSONSchemaSubset(parsing: ##"{"items": {"$ref": "#/$defs/nowhere"}}"##)
        }
        #expect(throws: JSONSchemaSubsetError(location: "#/type", message: #"unknown type "float""#)) {
            try JSONSchemaSubset(parsing: #"{"type": "float"}"#)
        }
    }

    @Test func appliesTheRemainingKeywordsOfTheSubset() throws {
        let schema = try JSONSchemaSubset(
            parsing: #"""
                {"type": "object", "properties": {
                  "n": {"type": "integer", "minimum": 1, "maximum": 10},
                  "e": {"enum": ["a", "b"]},
                  "l": {"type": "array", "minItems": 1, "maxItems": 2},
                  "o": {"oneOf": [{"type": "number"}, {"type": "integer"}]},
                  "odd key": {"type": "string"}
                }}
                """#)
        let errors = schema.validate(
            .object([
                "n": .integer(11), "e": .string("c"), "l": .array([]), "o": .integer(1), "odd key": .integer(1),
            ])
        ).map(\.description)
        #expect(
            errors == [
                #"e: expected "a" or "b", got "c""#,
                #"l: expected at least 1 items, got 0"#,
                #"n: 11 is greater than the maximum 10"#,
                #"o: matches more than one of the allowed shapes, expected exactly one"#,
                #"["odd key"]: expected string, got integer"#,
            ])
        #expect(schema.validate(.object(["n": .number(3.0), "o": .number(0.5), "l": .array([.null])])) == [])
    }
}
