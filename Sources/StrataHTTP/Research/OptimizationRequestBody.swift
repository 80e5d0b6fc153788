import Foundation
import StrataRuntime

/// The body of `POST /api/optimizations`, checked field by field (every problem reported at
/// once). The parameters arrive as objects and become the CLI's `--param` specs, so both read
/// them with one parser (``ParameterSpace``); what needs the schema is checked by the caller.
struct OptimizationRequestBody {
    static let fields =
        [
            "strategy_type", "instance_id", "data", "params", "search", "trials", "seed", "metric", "direction", "walk_forward",
            "constraints", "config", "jobs",
        ] + BrokerFields.names
    /// The most parameters, values of one parameter, and constraints a body may give.
    static let maxParams = 32
    static let maxValues = 1_000
    static let maxConstraints = 32
    static let maxConstraintLength = 200
    /// The most trials one run may have (random ones asked for, or a grid's points).
    static let maxTrials = 10_000

    var strategyType: String?
    var instanceID: String?
    var data: String
    /// `--param` specs (empty: the schema's default sweep).
    var params: [String] = []
    var search = TrialSearch.grid
    var metric = OptimizationMetric.sharpe
    var direction: OptimizationMetric.Direction?
    var walkForward = 0
    var constraints: [String] = []
    /// The base config (fields not swept keep it), over the instance's when one is named.
    var config: [String: JSONValue]?
    var jobs: Int?
    var broker: BrokerFields

    /// - Throws: 400 naming each unknown field, missing field and bad value.
    init(_ body: [String: JSONValue], folder: DataFolder, maxJobs: Int) throws {
        var errors = BacktestRequestBody.unknownFields(body, allowed: Self.fields)
        instanceID = BacktestRequestBody.identifier(body, "instance_id", missing: nil, &errors)
        strategyType = BacktestRequestBody.identifier(
            body, "strategy_type", missing: instanceID == nil ? "is required (or instance_id)" : nil, &errors)
        data = BacktestRequestBody.data(body, folder: folder, &errors)
        broker = BrokerFields(body, errors: &errors)
        params = Self.params(body["params"], &errors)
        constraints = Self.constraints(body["constraints"], &errors)
        readChoices(body, &errors)
        let whole = { (field: String, range: ClosedRange<Int>) -> Int? in Self.integer(body, field, in: range, &errors) }
        walkForward = whole("walk_forward", 0...OptimizationRequest.maxWalkForward) ?? 0
        jobs = whole("jobs", 1...maxJobs)
        let trials = whole("trials", 1...Self.maxTrials)
        let seed = whole("seed", 0...Int(Int32.max)) ?? 1
        switch body["search"] {
        case nil, .string("grid")?:
            if trials != nil { errors.append(.init("trials", "is only for \"search\": \"random\"")) }
        case .string("random")?: search = .random(trials: trials ?? 100, seed: UInt64(seed))
        case let value?: errors.append(.init("search", "must be \"grid\" or \"random\", got \(Self.shown(value))"))
        }
        switch body["config"] {
        case nil: break
        case .object(let object)?: config = object
        case let value?: errors.append(.init("config", "must be an object, got \(value.typeName)"))
        }
        guard errors.isEmpty else { throw APIError.badRequest(errors) }
    }

    private mutating func readChoices(_ body: [String: JSONValue], _ errors: inout [APIError.FieldError]) {
        switch body["metric"] {
        case nil: break
        case .string(let name)?:
            do throws(OptimizationError) {
                metric = try OptimizationMetric.named(name)
            } catch {
                errors.append(.init("metric", QueryReader.shown(error.message)))
            }
        case let value?: errors.append(.init("metric", "must be a string, got \(value.typeName)"))
        }
        switch body["direction"] {
        case nil: break
        case .string(let word)? where OptimizationMetric.Direction(rawValue: word) != nil: direction = OptimizationMetric.Direction(rawValue: word)
        case let value?: errors.append(.init("direction", "must be \"maximize\" or \"minimize\", got \(Self.shown(value))"))
        }
    }

    // MARK: Parameters

    /// `params`: objects `{"name", "from", "to", "step"}`, `{"name", "values"}` or `{"name"}`, as specs.
    static func params(_ value: JSONValue?, _ errors: inout [APIError.FieldError]) -> [String] {
        guard let value, value != .null else { return [] }
        guard let items = value.arrayValue else {
            errors.append(.init("params", "must be an array of {\"name\", \"from\", \"to\", \"step\"} or {\"name\", \"values\"}"))
            return []
        }
        guard items.count <= maxParams else {
            errors.append(.init("params", "at most \(maxParams) parameters, got \(items.count)"))
            return []
        }
        var specs: [String] = []
        for (index, item) in items.enumerated() {
            switch spec(item) {
            case .success(let spec): specs.append(spec)
            case .failure(let problem): errors.append(.init("params[\(index)]", problem.message))
            }
        }
        return specs
    }

    private struct Problem: Error { let message: String }

    private static func spec(_ item: JSONValue) -> Result<String, Problem> {
        guard let object = item.objectValue else { return .failure(Problem(message: "must be an object, got \(item.typeName)")) }
        let allowed = ["name", "from", "to", "step", "values"]
        if let extra = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            return .failure(Problem(message: "unknown field '\(QueryReader.shown(extra))' (allowed: \(allowed.joined(separator: ", ")))"))
        }
        guard case .string(let name)? = object["name"], !name.isEmpty, name.count <= 64,
            name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") })
        else { return .failure(Problem(message: "name must be a config field's name (letters, digits and _)")) }
        if let values = object["values"] {
            guard object["from"] == nil, object["to"] == nil, object["step"] == nil else {
                return .failure(Problem(message: "give either values or from/to/step, not both"))
            }
            guard let list = values.arrayValue, !list.isEmpty, list.count <= maxValues else {
                return .failure(Problem(message: "values must be an array of 1 to \(maxValues) numbers, strings or booleans"))
            }
            var words: [String] = []
            for value in list {
                switch value {
                case .integer, .number: words.append(value.encoded())
                case .bool(let flag): words.append(flag ? "true" : "false")
                case .string(let text) where !text.contains(",") && !text.unicodeScalars.contains(where: { $0.value < 0x20 }):
                    words.append(text.trimmingCharacters(in: .whitespaces))
                default: return .failure(Problem(message: "values must be numbers, booleans or strings without commas or control characters"))
                }
            }
            return .success("\(name)=\(words.joined(separator: ","))")
        }
        let bounds = ["from", "to", "step"].map { object[$0] }
        if bounds.allSatisfy({ $0 == nil }) { return .success(name) }
        guard let from = bounds[0]?.doubleValue, let to = bounds[1]?.doubleValue, from.isFinite, to.isFinite else {
            return .failure(Problem(message: "from and to must both be numbers (and step, if given)"))
        }
        guard let step = bounds[2] else { return .success("\(name)=\(JSONValue.number(from).encoded()):\(JSONValue.number(to).encoded())") }
        guard let size = step.doubleValue, size.isFinite else { return .failure(Problem(message: "step must be a number")) }
        return .success("\(name)=\(JSONValue.number(from).encoded()):\(JSONValue.number(to).encoded()):\(JSONValue.number(size).encoded())")
    }

    static func constraints(_ value: JSONValue?, _ errors: inout [APIError.FieldError]) -> [String] {
        guard let value, value != .null else { return [] }
        guard let items = value.arrayValue, items.count <= maxConstraints,
            let texts = Optional(items.compactMap(\.stringValue)), texts.count == items.count,
            texts.allSatisfy({ !$0.isEmpty && $0.count <= maxConstraintLength && !$0.unicodeScalars.contains { $0.value < 0x20 } })
        else {
            errors.append(
                .init(
                    "constraints",
                    "must be an array of at most \(maxConstraints) expressions like \"fast < slow\" (1 to \(maxConstraintLength) characters each)"))
            return []
        }
        return texts
    }

    static func integer(_ body: [String: JSONValue], _ field: String, in range: ClosedRange<Int>, _ errors: inout [APIError.FieldError]) -> Int? {
        guard let raw = body[field], raw != .null else { return nil }
        guard let number = raw.doubleValue, number.isFinite, number.rounded() == number, number >= Double(range.lowerBound),
            number <= Double(range.upperBound)
        else {
            errors.append(.init(field, "must be a whole number from \(range.lowerBound) to \(range.upperBound)"))
            return nil
        }
        return Int(number)
    }

    private static func shown(_ value: JSONValue) -> String {
        if case .string(let text) = value { return "'\(QueryReader.shown(text))'" }
        return value.typeName
    }
}
