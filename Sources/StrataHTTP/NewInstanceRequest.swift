import Foundation
import StrataEngine
import StrataRuntime

/// The body of `POST /api/instances` (`NewInstance`), checked field by field: every bad or
/// unknown key is named, so one answer lists all of them.
struct NewInstanceRequest: Sendable {
    var id: String?
    var strategyType: String
    var account: String
    var market: String
    var mode: InstanceMode
    var config: [String: JSONValue]

    static let keys: Set<String> = ["id", "strategy_type", "account", "market", "mode", "config"]
    /// The longest account or market name.
    static let maxNameLength = 100

    /// - Throws: ``APIError`` 400 naming each bad field.
    init(body: [String: JSONValue]) throws {
        var errors: [APIError.FieldError] = []
        for key in body.keys.sorted() where !Self.keys.contains(key) {
            errors.append(.init(key, "unknown field (allowed: \(Self.keys.sorted().joined(separator: ", ")))"))
        }
        func text(_ key: String, required: Bool) -> String? {
            switch body[key] {
            case nil, .null?:
                if required { errors.append(.init(key, "is required")) }
                return nil
            case .string(let value)?:
                return value
            case let value?:
                errors.append(.init(key, "must be a string, got \(value.typeName)"))
                return nil
            }
        }
        id = text("id", required: false)
        if let id, let problem = InstanceIDRules.problem(with: id) { errors.append(.init("id", problem)) }
        strategyType = text("strategy_type", required: true) ?? ""
        account = text("account", required: true) ?? ""
        market = text("market", required: true) ?? ""
        for (key, value) in [("strategy_type", strategyType), ("account", account), ("market", market)] where body[key]?.stringValue != nil {
            if let problem = Self.nameProblem(value) { errors.append(.init(key, problem)) }
        }
        mode = .off
        if let modeText = text("mode", required: false) {
            if let parsed = InstanceMode(rawValue: modeText) {
                mode = parsed
            } else {
                errors.append(.init("mode", "must be off, observe or active, got '\(QueryReader.shown(modeText))'"))
            }
        }
        config = [:]
        switch body["config"] {
        case nil, .null?: break
        case .object(let object)?: config = object
        case let value?: errors.append(.init("config", "must be an object, got \(value.typeName)"))
        }
        if !errors.isEmpty { throw APIError.badRequest(errors) }
    }

    /// Why `name` cannot be an account, market or strategy type name, or nil: 1–100 characters,
    /// no surrounding spaces, none of ``IdentifierCharacters``.
    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        // Unicode scalars, as JSON Schema's maxLength counts.
        if name.unicodeScalars.count > maxNameLength { return "must be at most \(maxNameLength) characters" }
        if let problem = IdentifierCharacters.problem(name) { return problem }
        if let first = name.unicodeScalars.first, let last = name.unicodeScalars.last,
            IdentifierCharacters.isEdgeSpace(first) || IdentifierCharacters.isEdgeSpace(last)
        {
            return "must not start or end with spaces"
        }
        return nil
    }
}

/// What an instance id may be: it travels in URLs and file-like places, so it is kept plain.
enum InstanceIDRules {
    static let maxLength = 64

    /// Why `id` is not a valid instance id, or nil: 1–64 of ASCII letters, digits and `. _ -`,
    /// starting with a letter or a digit (so `.` and `..` cannot be ids, which browsers would
    /// resolve away in a URL).
    static func problem(with id: String) -> String? {
        guard !id.isEmpty else { return "must not be empty" }
        guard id.utf8.count <= maxLength else { return "must be at most \(maxLength) characters" }
        guard id.utf8.allSatisfy({ isAllowed($0) }) else { return "may contain only letters, digits and . _ -" }
        guard let first = id.utf8.first, isAlphanumeric(first) else { return "must start with a letter or a digit" }
        return nil
    }

    /// A generated id (`TYPE-1f0c9a3e`); `instance-…` when the type's name would not make a valid one.
    static func generate(strategyType: String) -> String {
        let id = InstanceRecord.makeID(strategyType: strategyType)
        if problem(with: id) == nil { return id }
        return InstanceRecord.makeID(strategyType: "instance")
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }
}
