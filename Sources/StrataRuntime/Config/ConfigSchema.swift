import LuaBridge

/// A strategy's CONFIG_SCHEMA: the only source of its config form and of config validation.
public struct ConfigSchema: Sendable, Equatable {
    /// The fields, sorted by name (a Lua table has no order).
    public private(set) var fields: [ConfigField]

    public init(fields: [ConfigField]) {
        self.fields = fields.sorted { $0.name < $1.name }
    }

    /// The field called `name`.
    public func field(_ name: String) -> ConfigField? {
        fields.first { $0.name == name }
    }

    /// Every field at its default.
    public var defaults: [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.defaultValue) })
    }

    /// Checks `config` against the schema: fields left out take their defaults; unknown fields
    /// and bad values are all reported, each naming its field.
    public func validate(_ config: [String: JSONValue]) -> Result<[String: JSONValue], ConfigErrors> {
        var valid = defaults
        var errors: [ConfigFieldError] = []
        for (name, value) in config.sorted(by: { $0.key < $1.key }) {
            guard let field = field(name) else {
                let known = fields.map(\.name).joined(separator: ", ")
                errors.append(ConfigFieldError(field: name, message: "unknown field (the schema has: \(known.isEmpty ? "no fields" : known))"))
                continue
            }
            switch field.check(value) {
            case .success(let checked): valid[name] = checked
            case .failure(let error): errors.append(error)
            }
        }
        return errors.isEmpty ? .success(valid) : .failure(ConfigErrors(fields: errors))
    }
}

extension ConfigSchema {
    static let fieldKeys: Set<String> = ["type", "default", "min", "max", "label", "description", "values"]

    /// Reads CONFIG_SCHEMA as the script defined it.
    /// - Throws: `SchemaProblem` naming the field and what is wrong with it.
    public init(parsing value: LuaValue) throws(SchemaProblem) {
        let entries: [String: LuaValue]
        switch value {
        case .array(let items) where items.isEmpty: entries = [:]
        case .table(let table): entries = table
        default: throw SchemaProblem(field: nil, message: "CONFIG_SCHEMA must be a table of fields, got \(value.typeName)")
        }
        var fields: [ConfigField] = []
        for (name, spec) in entries.sorted(by: { $0.key < $1.key }) {
            fields.append(try Self.parseField(name: name, spec: spec))
        }
        self.init(fields: fields)
    }

    private static func parseField(name: String, spec: LuaValue) throws(SchemaProblem) -> ConfigField {
        func problem(_ message: String) -> SchemaProblem { SchemaProblem(field: name, message: message) }
        guard name.first.map({ $0.isLetter || $0 == "_" }) == true,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else {
            throw problem("field names must be identifiers (letters, digits, _)")
        }
        guard case .table(let keys) = spec else { throw problem("must be a table like { type = \"float\", default = 1 }") }
        if let unknown = keys.keys.sorted().first(where: { !fieldKeys.contains($0) }) {
            throw problem("unknown key '\(unknown)' (allowed: \(fieldKeys.sorted().joined(separator: ", ")))")
        }
        guard let typeName = keys["type"]?.stringValue else { throw problem("needs a type (float, integer, boolean, string or enum)") }
        guard let kind = typeName == "number" ? .float : ConfigField.Kind(rawValue: typeName) else {
            throw problem("unknown type '\(typeName)' (use float, number, integer, boolean, string or enum)")
        }
        var field = ConfigField(name: name, kind: kind, defaultValue: .null)
        field.label = try text(keys["label"], "label", field: name)
        field.description = try text(keys["description"], "description", field: name)
        field.min = try bound(keys["min"], "min", field: name)
        field.max = try bound(keys["max"], "max", field: name)
        if let min = field.min, let max = field.max, min > max { throw problem("min (\(min)) is greater than max (\(max))") }
        if kind == .enum {
            guard case .array(let items) = keys["values"], !items.isEmpty else { throw problem("an enum needs values = { \"a\", \"b\", ... }") }
            let values = items.compactMap(\.stringValue)
            guard values.count == items.count, Set(values).count == values.count else { throw problem("enum values must be distinct strings") }
            field.values = values
        } else if keys["values"] != nil {
            throw problem("only enum fields take values")
        }
        guard let defaultValue = keys["default"] else { throw problem("needs a default") }
        switch field.check(JSONValue(defaultValue)) {
        case .success(let checked): field.defaultValue = checked
        case .failure(let error): throw problem("default \(error.message)")
        }
        return field
    }

    private static func text(_ value: LuaValue?, _ key: String, field: String) throws(SchemaProblem) -> String? {
        guard let value else { return nil }
        guard let s = value.stringValue else { throw SchemaProblem(field: field, message: "\(key) must be a string") }
        return s
    }

    private static func bound(_ value: LuaValue?, _ key: String, field: String) throws(SchemaProblem) -> Double? {
        guard let value else { return nil }
        guard let d = value.doubleValue, d.isFinite else { throw SchemaProblem(field: field, message: "\(key) must be a finite number") }
        return d
    }
}

/// What is wrong with a CONFIG_SCHEMA, naming the field when one is at fault.
public struct SchemaProblem: Error, Sendable, Equatable {
    public var field: String?
    public var message: String

    public var description: String {
        field.map { "CONFIG_SCHEMA field '\($0)': \(message)" } ?? message
    }
}

/// Every field a config was refused for.
public struct ConfigErrors: Error, Sendable, Equatable {
    public var fields: [ConfigFieldError]
}
