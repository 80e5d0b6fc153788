import LuaBridge

extension JSONValue {
    /// The JSON form of a Lua value: arrays stay arrays (an empty table is `[]`), other tables
    /// become objects.
    public init(_ value: LuaValue) {
        switch value {
        case .nil: self = .null
        case .boolean(let b): self = .bool(b)
        case .integer(let i): self = .integer(i)
        case .number(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items.map(JSONValue.init))
        case .table(let fields): self = .object(fields.mapValues(JSONValue.init))
        }
    }
}

extension LuaValue {
    /// The Lua form of a JSON value (null becomes nil).
    public init(_ value: JSONValue) {
        switch value {
        case .null: self = .nil
        case .bool(let b): self = .boolean(b)
        case .integer(let i): self = .integer(i)
        case .number(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items.map(LuaValue.init))
        case .object(let fields): self = .table(fields.mapValues(LuaValue.init))
        }
    }
}
