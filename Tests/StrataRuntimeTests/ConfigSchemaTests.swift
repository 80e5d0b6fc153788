import LuaBridge
import Testing

@testable import StrataRuntime

/// Parses `CONFIG_SCHEMA` written as Lua source, the way a script defines it.
private func schema(_ lua: String) throws -> ConfigSchema {
    try ConfigSchema(parsing: try luaValue(lua))
}

/// A malformed schema and what the parser must say about it.
struct MalformedSchema: Sendable, CustomTestStringConvertible {
    var lua: String
    var field: String
    var message: String
    var testDescription: String { lua }
}

private let malformedSchemas: [MalformedSchema] = [
    MalformedSchema(
        lua: #"{ x = { type = "double", default = 1 } }"#, field: "x",
        message: "unknown type 'double' (use float, number, integer, boolean, string or enum)"),
    MalformedSchema(
        lua: #"{ x = { default = 1 } }"#, field: "x",
        message: "needs a type (float, integer, boolean, string or enum)"),
    MalformedSchema(lua: #"{ x = { type = "float" } }"#, field: "x", message: "needs a default"),
    MalformedSchema(
        lua: #"{ x = { type = "integer", default = 0, min = 1 } }"#, field: "x",
        message: "default must be at least 1"),
    MalformedSchema(
        lua: #"{ x = { type = "float", default = 11, max = 10 } }"#, field: "x",
        message: "default must be at most 10"),
    MalformedSchema(
        lua: #"{ x = { type = "integer", default = 1.5 } }"#, field: "x",
        message: "default must be an integer, got a fraction"),
    MalformedSchema(
        lua: #"{ x = { type = "float", default = 5, min = 10, max = 1 } }"#, field: "x",
        message: "min (10.0) is greater than max (1.0)"),
    MalformedSchema(
        lua: #"{ x = { type = "enum", default = "a" } }"#, field: "x",
        message: #"an enum needs values = { "a", "b", ... }"#),
    MalformedSchema(
        lua: #"{ x = { type = "enum", values = {}, default = "a" } }"#, field: "x",
        message: #"an enum needs values = { "a", "b", ... }"#),
    MalformedSchema(
        lua: #"{ x = { type = "enum", values = { "a", "a" }, default = "a" } }"#, field: "x",
        message: "enum values must be distinct strings"),
    MalformedSchema(
        lua: #"{ x = { type = "enum", values = { "a", "b" }, default = "c" } }"#, field: "x",
        message: #"default must be one of "a", "b""#),
    MalformedSchema(
        lua: #"{ x = { type = "float", values = { "a" }, default = 1 } }"#, field: "x",
        message: "only enum fields take values"),
    MalformedSchema(
        lua: #"{ x = { type = "float", default = 1, maximum = 3 } }"#, field: "x",
        message: "unknown key 'maximum' (allowed: default, description, label, max, min, type, values)"),
    MalformedSchema(
        lua: #"{ x = { type = "float", default = 1, min = 0/0 } }"#, field: "x",
        message: "min must be a finite number"),
    MalformedSchema(
        lua: #"{ x = { type = "float", default = 1, label = 3 } }"#, field: "x",
        message: "label must be a string"),
    MalformedSchema(lua: #"{ x = 3 }"#, field: "x", message: #"must be a table like { type = "float", default = 1 }"#),
    MalformedSchema(
        lua: #"{ ["fast-window"] = { type = "float", default = 1 } }"#, field: "fast-window",
        message: "field names must be identifiers (letters, digits, _)"),
    MalformedSchema(
        lua: #"{ ["1st"] = { type = "float", default = 1 } }"#, field: "1st",
        message: "field names must be identifiers (letters, digits, _)"),
]

@Suite struct ConfigSchemaParsingTests {
    @Test func readsEveryFieldTypeWithItsKeys() throws {
        // Given a schema with one field of each type
        let parsed = try schema(
            #"""
            {
              fast  = { type = "integer", default = 10, min = 1, max = 500, label = "Fast window" },
              qty   = { type = "float", default = 0.01, min = 0, description = "Order size, base units" },
              trade = { type = "boolean", default = true },
              tag   = { type = "string", default = "sma" },
              side  = { type = "enum", values = { "both", "long" }, default = "both" },
            }
            """#)
        // Then every field is there, sorted by name, with what the script wrote
        #expect(parsed.fields.map(\.name) == ["fast", "qty", "side", "tag", "trade"])
        #expect(
            parsed.field("fast")
                == ConfigField(
                    name: "fast", kind: .integer, defaultValue: .integer(10),
                    min: 1, max: 500, label: "Fast window"))
        #expect(
            parsed.field("qty")
                == ConfigField(
                    name: "qty", kind: .float, defaultValue: .number(0.01),
                    min: 0, description: "Order size, base units"))
        #expect(parsed.field("trade") == ConfigField(name: "trade", kind: .boolean, defaultValue: .bool(true)))
        #expect(parsed.field("tag") == ConfigField(name: "tag", kind: .string, defaultValue: .string("sma")))
        #expect(
            parsed.field("side")
                == ConfigField(
                    name: "side", kind: .enum, defaultValue: .string("both"),
                    values: ["both", "long"]))
    }

    @Test func numberIsAnAliasOfFloatAndIntegerDefaultsBecomeFloats() throws {
        let parsed = try schema(#"{ k = { type = "number", default = 2 } }"#)
        #expect(parsed.field("k")?.kind == .float)
        #expect(parsed.field("k")?.defaultValue == .number(2))
    }

    @Test func anIntegralFloatDefaultOfAnIntegerFieldIsStoredAsAnInteger() throws {
        let parsed = try schema(#"{ n = { type = "integer", default = 3.0 } }"#)
        #expect(parsed.field("n")?.defaultValue == .integer(3))
    }

    @Test func anEmptySchemaHasNoFields() throws {
        #expect(try schema("{}").fields.isEmpty)
        #expect(try schema("{}").defaults.isEmpty)
    }

    @Test(arguments: malformedSchemas)
    func aMalformedFieldIsRefusedByName(_ example: MalformedSchema) throws {
        #expect(throws: SchemaProblem(field: example.field, message: example.message)) {
            try schema(example.lua)
        }
    }

    @Test func aSchemaThatIsNotATableOfFieldsIsRefused() throws {
        #expect(throws: SchemaProblem(field: nil, message: "CONFIG_SCHEMA must be a table of fields, got number")) {
            try schema("42")
        }
    }

    @Test func theLoadErrorOfAMalformedSchemaNamesTheField() {
        // Given a script whose schema has a field without a default
        let source = #"""
            CONFIG_SCHEMA = { slow = { type = "integer", min = 2 } }
            function init() return {} end
            function on_tick(tick) end
            function render() return { widgets = {} } end
            """#
        // When it is loaded
        let error = strategyError { _ = try makeInstance(source) }
        // Then loading fails with invalid_schema, naming the field
        #expect(error?.kind == .invalidSchema)
        #expect(error?.phase == .load)
        #expect(error?.message == "CONFIG_SCHEMA field 'slow': needs a default")
    }
}

@Suite struct ConfigValidationTests {
    let sample: ConfigSchema

    init() throws {
        sample = try schema(
            #"""
            {
              fast  = { type = "integer", default = 10, min = 1, max = 500 },
              qty   = { type = "float", default = 0.5, min = 0 },
              trade = { type = "boolean", default = true },
              tag   = { type = "string", default = "x" },
              side  = { type = "enum", values = { "both", "long" }, default = "both" },
            }
            """#)
    }

    private func errors(_ config: [String: JSONValue]) -> [ConfigFieldError] {
        guard case .failure(let failure) = sample.validate(config) else { return [] }
        return failure.fields
    }

    @Test func fieldsLeftOutTakeTheirDefaults() throws {
        let valid = try sample.validate(["fast": .integer(20)]).get()
        #expect(
            valid == [
                "fast": .integer(20), "qty": .number(0.5), "trade": .bool(true),
                "tag": .string("x"), "side": .string("both"),
            ])
    }

    @Test func valuesAreStoredInTheirFieldsType() throws {
        // An integral float for an integer field, an integer for a float field
        let valid = try sample.validate(["fast": .number(7.0), "qty": .integer(2)]).get()
        #expect(valid["fast"] == .integer(7))
        #expect(valid["qty"] == .number(2))
    }

    @Test func everyBadFieldIsReportedWithItsReason() {
        let reported = errors([
            "fast": .integer(0), "qty": .string("1"), "trade": .integer(1), "tag": .bool(false),
            "side": .string("short"), "slow": .integer(3),
        ])
        #expect(
            reported == [
                ConfigFieldError(field: "fast", message: "must be at least 1"),
                ConfigFieldError(field: "qty", message: "must be a number, got string"),
                ConfigFieldError(field: "side", message: #"must be one of "both", "long""#),
                ConfigFieldError(field: "slow", message: "unknown field (the schema has: fast, qty, side, tag, trade)"),
                ConfigFieldError(field: "tag", message: "must be a string, got boolean"),
                ConfigFieldError(field: "trade", message: "must be true or false, got integer"),
            ])
    }

    @Test func anIntegerFieldRefusesFractions() {
        #expect(errors(["fast": .number(2.5)]) == [ConfigFieldError(field: "fast", message: "must be an integer, got a fraction")])
        #expect(errors(["fast": .integer(501)]) == [ConfigFieldError(field: "fast", message: "must be at most 500")])
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func aFloatFieldRefusesNonFiniteNumbers(_ value: Double) {
        #expect(errors(["qty": .number(value)]) == [ConfigFieldError(field: "qty", message: "must be a finite number")])
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func anIntegerFieldRefusesNonFiniteNumbers(_ value: Double) {
        #expect(errors(["fast": .number(value)]).map(\.field) == ["fast"])
    }

    @Test func booleansAndEnumsAcceptTheirValues() throws {
        let valid = try sample.validate(["trade": .bool(false), "side": .string("long")]).get()
        #expect(valid["trade"] == .bool(false))
        #expect(valid["side"] == .string("long"))
        #expect(errors(["side": .integer(1)]).map(\.field) == ["side"])
    }

    @Test func anEmptySchemaRefusesAnyField() {
        let empty = ConfigSchema(fields: [])
        guard case .failure(let failure) = empty.validate(["x": .integer(1)]) else {
            Issue.record("an unknown field was accepted")
            return
        }
        #expect(failure.fields == [ConfigFieldError(field: "x", message: "unknown field (the schema has: no fields)")])
    }

    @Test func anInvalidConfigAtLoadNamesEveryBadField() {
        let source = #"""
            CONFIG_SCHEMA = { a = { type = "integer", default = 1 }, b = { type = "boolean", default = false } }
            function init() return {} end
            function on_tick(tick) end
            function render() return { widgets = {} } end
            """#
        let error = strategyError { _ = try makeInstance(source, config: ["a": .number(0.5), "b": .string("yes")]) }
        #expect(error?.kind == .invalidConfig)
        #expect(error?.fieldErrors.map(\.field) == ["a", "b"])
        #expect(error?.message == "invalid config: a: must be an integer, got a fraction; b: must be true or false, got string")
    }
}
