import Foundation
import StrataRuntime

/// The body of `POST /api/backtests`, checked field by field (every problem reported at once).
struct BacktestRequestBody {
    static let fields = ["instance_id", "data"] + BrokerFields.names

    var instanceID: String
    var data: String
    var broker: BrokerFields

    /// The settings as the run's `parameters` keep them.
    var parameters: [String: JSONValue] {
        broker.parameters.merging(["data": .string(data)]) { a, _ in a }
    }

    /// - Throws: 400 naming each unknown field, missing field and bad value; `data` must be one
    ///   of `folder`'s names (a name, never a path).
    init(_ body: [String: JSONValue], folder: DataFolder) throws {
        var errors = Self.unknownFields(body, allowed: Self.fields)
        instanceID = Self.identifier(body, "instance_id", missing: "is required", &errors) ?? ""
        data = Self.data(body, folder: folder, &errors)
        broker = BrokerFields(body, errors: &errors)
        guard errors.isEmpty else { throw APIError.badRequest(errors) }
    }

    /// An error for each field of `body` not in `allowed`.
    static func unknownFields(_ body: [String: JSONValue], allowed: [String]) -> [APIError.FieldError] {
        body.keys.sorted().filter { !allowed.contains($0) }.map {
            .init($0, "unknown field (allowed: \(allowed.joined(separator: ", ")))")
        }
    }

    /// An identifier field (`instance_id`, `strategy_type`): its text, or nil with an error when
    /// it is bad, or missing and `missing` says why it is needed.
    static func identifier(_ body: [String: JSONValue], _ field: String, missing: String?, _ errors: inout [APIError.FieldError]) -> String? {
        switch body[field] {
        case .string(let text)?:
            if text.isEmpty || text.unicodeScalars.count > IdentifierCharacters.maxQueryLength {
                errors.append(.init(field, "must be 1 to \(IdentifierCharacters.maxQueryLength) characters"))
            } else if let problem = IdentifierCharacters.problem(text) {
                errors.append(.init(field, problem))
            } else {
                return text
            }
        case nil: if let missing { errors.append(.init(field, missing)) }
        case let value?: errors.append(.init(field, "must be a string, got \(value.typeName)"))
        }
        return nil
    }

    /// The `data` field: a name `folder` lists (else "" and an error).
    static func data(_ body: [String: JSONValue], folder: DataFolder, _ errors: inout [APIError.FieldError]) -> String {
        switch body["data"] {
        case .string(let name)?:
            if let problem = Self.problem(dataName: name, folder: folder) { errors.append(.init("data", problem)) } else { return name }
        case nil: errors.append(.init("data", "is required (a name from GET /api/data-files)"))
        case let value?: errors.append(.init("data", "must be a string, got \(value.typeName)"))
        }
        return ""
    }

    /// Why `name` is not a data file of `folder`, or nil when it is one.
    static func problem(dataName name: String, folder: DataFolder) -> String? {
        if name.isEmpty { return "must not be empty (a name from GET /api/data-files)" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "must not hold control characters" }
        if name.contains("/") || name.contains("\\") || name == "." || name == ".." || name.hasPrefix(".") {
            return "must be a name from GET /api/data-files, not a path"
        }
        guard folder.path(of: name) != nil else {
            return "no data file '\(QueryReader.shown(name))' (GET /api/data-files lists them)"
        }
        return nil
    }
}
