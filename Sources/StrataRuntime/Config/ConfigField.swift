/// One field of a strategy's CONFIG_SCHEMA.
public struct ConfigField: Sendable, Equatable {
    /// The kinds of value a field holds.
    public enum Kind: String, Sendable, CaseIterable {
        case float
        case integer
        case boolean
        case string
        case `enum`
    }

    public var name: String
    public var kind: Kind
    public var defaultValue: JSONValue
    public var min: Double?
    public var max: Double?
    public var label: String?
    public var description: String?
    /// The allowed values of an enum field.
    public var values: [String]

    public init(
        name: String, kind: Kind, defaultValue: JSONValue, min: Double? = nil, max: Double? = nil,
        label: String? = nil, description: String? = nil, values: [String] = []
    ) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.min = min
        self.max = max
        self.label = label
        self.description = description
        self.values = values
    }

    /// Checks one value against this field; returns the value as it will be stored (integers
    /// for integer fields, doubles for float fields) or the reason it is refused.
    public func check(_ value: JSONValue) -> Result<JSONValue, ConfigFieldError> {
        func refuse(_ message: String) -> Result<JSONValue, ConfigFieldError> {
            .failure(ConfigFieldError(field: name, message: message))
        }
        let checked: JSONValue
        switch kind {
        case .float:
            guard let d = value.doubleValue else { return refuse("must be a number, got \(value.typeName)") }
            guard d.isFinite else { return refuse("must be a finite number") }
            checked = .number(d)
        case .integer:
            switch value {
            case .integer: checked = value
            case .number(let d) where d.rounded() == d && abs(d) < 9.0e15: checked = .integer(Int64(d))
            default: return refuse("must be an integer, got \(value.typeName == "number" ? "a fraction" : value.typeName)")
            }
        case .boolean:
            guard case .bool = value else { return refuse("must be true or false, got \(value.typeName)") }
            checked = value
        case .string:
            guard case .string(let s) = value else { return refuse("must be a string, got \(value.typeName)") }
            guard s.utf8.count <= 10_000 else { return refuse("must be at most 10000 bytes long") }
            checked = value
        case .enum:
            guard case .string(let s) = value, values.contains(s) else {
                return refuse("must be one of \(values.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            checked = value
        }
        if let number = checked.doubleValue {
            if let min, number < min { return refuse("must be at least \(Self.format(min))") }
            if let max, number > max { return refuse("must be at most \(Self.format(max))") }
        }
        return .success(checked)
    }

    static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}

/// A config value refused by the schema: which field, and why.
public struct ConfigFieldError: Error, Sendable, Equatable, Codable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}
