import Foundation
import StrataRuntime

/// The body of `POST /api/backtests`, checked field by field (every problem reported at once).
struct BacktestRequestBody {
    static let fields = ["instance_id", "data", "cash", "fee_bps", "slippage_bps", "fill"]

    var instanceID: String
    var data: String
    var cash = 100_000.0
    var feeBps = 0.0
    var slippageBps = 0.0
    var fill = PaperBroker.FillModel.nextOpen

    /// The settings as the run's `parameters` keep them.
    var parameters: [String: JSONValue] {
        [
            "data": .string(data), "cash": .number(cash), "fee_bps": .number(feeBps), "slippage_bps": .number(slippageBps),
            "fill": .string(fill.rawValue),
        ]
    }

    /// - Throws: 400 naming each unknown field, missing field and bad value; `data` must be one
    ///   of `folder`'s names (a name, never a path).
    init(_ body: [String: JSONValue], folder: DataFolder) throws {
        var errors: [APIError.FieldError] = body.keys.sorted().filter { !Self.fields.contains($0) }.map {
            .init($0, "unknown field (allowed: \(Self.fields.joined(separator: ", ")))")
        }
        var id = ""
        switch body["instance_id"] {
        case .string(let text)?:
            if text.isEmpty || text.unicodeScalars.count > IdentifierCharacters.maxQueryLength {
                errors.append(.init("instance_id", "must be 1 to \(IdentifierCharacters.maxQueryLength) characters"))
            } else if let problem = IdentifierCharacters.problem(text) {
                errors.append(.init("instance_id", problem))
            } else {
                id = text
            }
        case nil: errors.append(.init("instance_id", "is required"))
        case let value?: errors.append(.init("instance_id", "must be a string, got \(value.typeName)"))
        }
        var data = ""
        switch body["data"] {
        case .string(let name)?:
            if let problem = Self.problem(dataName: name, folder: folder) { errors.append(.init("data", problem)) } else { data = name }
        case nil: errors.append(.init("data", "is required (a name from GET /api/data-files)"))
        case let value?: errors.append(.init("data", "must be a string, got \(value.typeName)"))
        }
        self.instanceID = id
        self.data = data
        cash = Self.number(body, "cash", default: cash, valid: { $0 > 0 && $0 <= 1e12 }, range: "more than 0 and at most 1e12", &errors)
        feeBps = Self.number(body, "fee_bps", default: feeBps, valid: { $0 >= 0 && $0 < 10_000 }, range: "from 0 to below 10000", &errors)
        slippageBps = Self.number(
            body, "slippage_bps", default: slippageBps, valid: { $0 >= 0 && $0 < 10_000 }, range: "from 0 to below 10000", &errors)
        switch body["fill"] {
        case nil: break
        case .string(let text)? where PaperBroker.FillModel(rawValue: text) != nil: fill = PaperBroker.FillModel(rawValue: text)!
        case let value?: errors.append(.init("fill", "must be \"next-open\" or \"close\", got \(value.shortDescription)"))
        }
        guard errors.isEmpty else { throw APIError.badRequest(errors) }
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

    private static func number(
        _ body: [String: JSONValue], _ field: String, default value: Double, valid: (Double) -> Bool, range: String,
        _ errors: inout [APIError.FieldError]
    ) -> Double {
        guard let raw = body[field] else { return value }
        guard let number = raw.doubleValue, number.isFinite, valid(number) else {
            errors.append(.init(field, raw.doubleValue == nil ? "must be a number, got \(raw.typeName)" : "must be \(range)"))
            return value
        }
        return number
    }
}

extension JSONValue {
    /// A short form of the value for a message: a string quoted and cut, else its type.
    fileprivate var shortDescription: String {
        if case .string(let text) = self { return "'\(QueryReader.shown(text))'" }
        return typeName
    }
}
