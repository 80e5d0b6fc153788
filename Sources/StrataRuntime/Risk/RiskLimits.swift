/// What an instance, or all the instances of one account together, may do: stored beside the
/// config in the desired state and checked by the risk gate before any order reaches a broker.
/// A nil limit is no limit; ``none`` lets every order through.
public struct RiskLimits: Sendable, Equatable, Codable {
    /// The largest absolute position (base units) an order may leave, open orders on the same
    /// side counted as filled.
    public var maxPosition: Double?
    /// The largest quantity of one order (base units).
    public var maxOrderQuantity: Double?
    /// The largest value of one order: quantity × its limit price, or the last price for a
    /// market order (quote units).
    public var maxOrderNotional: Double?
    /// The most orders accepted in any 60 seconds of engine time.
    public var maxOrdersPerMinute: Int?
    /// The loss since 00:00 UTC (engine time) at which only orders that reduce the position pass
    /// until the next day (quote units).
    public var maxDailyLoss: Double?

    public static let none = RiskLimits()

    public init(
        maxPosition: Double? = nil, maxOrderQuantity: Double? = nil, maxOrderNotional: Double? = nil, maxOrdersPerMinute: Int? = nil,
        maxDailyLoss: Double? = nil
    ) {
        self.maxPosition = maxPosition
        self.maxOrderQuantity = maxOrderQuantity
        self.maxOrderNotional = maxOrderNotional
        self.maxOrdersPerMinute = maxOrdersPerMinute
        self.maxDailyLoss = maxDailyLoss
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxPosition = "max_position"
        case maxOrderQuantity = "max_order_quantity"
        case maxOrderNotional = "max_order_notional"
        case maxOrdersPerMinute = "max_orders_per_minute"
        case maxDailyLoss = "max_daily_loss"
    }

    /// The limits' JSON names, as the API, the CLI and the store spell them.
    public static let fieldNames = CodingKeys.allCases.map(\.rawValue)

    /// The largest number a limit may be: beyond 2^53 a JSON number stops being exact.
    public static let maxValue = 9_007_199_254_740_992.0

    /// True when no limit is set.
    public var isEmpty: Bool { self == .none }

    /// The limits as a JSON object of the ones set.
    public var json: JSONValue {
        var object: [String: JSONValue] = [:]
        object["max_position"] = maxPosition.map(JSONValue.number)
        object["max_order_quantity"] = maxOrderQuantity.map(JSONValue.number)
        object["max_order_notional"] = maxOrderNotional.map(JSONValue.number)
        object["max_orders_per_minute"] = maxOrdersPerMinute.map { .integer(Int64($0)) }
        object["max_daily_loss"] = maxDailyLoss.map(JSONValue.number)
        return .object(object)
    }

    /// Reads limits from a JSON object: each key a limit's name, each value a positive number
    /// (a whole one for `max_orders_per_minute`) or null for no limit.
    /// - Returns: the limits, or every field refused and why.
    public static func parse(_ value: JSONValue) -> Result<RiskLimits, ConfigErrors> {
        guard let object = value.objectValue else {
            return .failure(ConfigErrors(fields: [ConfigFieldError(field: "risk_limits", message: "must be an object of limits")]))
        }
        var limits = RiskLimits()
        var errors: [ConfigFieldError] = []
        for (key, raw) in object.sorted(by: { $0.key < $1.key }) {
            guard let name = CodingKeys(rawValue: key) else {
                errors.append(ConfigFieldError(field: key, message: "is not a risk limit (known: \(fieldNames.joined(separator: ", ")))"))
                continue
            }
            if raw == .null { continue }
            guard let number = raw.doubleValue, number.isFinite, number > 0, number <= maxValue else {
                errors.append(ConfigFieldError(field: key, message: "must be a positive number up to 2^53, or null for no limit"))
                continue
            }
            switch name {
            case .maxPosition: limits.maxPosition = number
            case .maxOrderQuantity: limits.maxOrderQuantity = number
            case .maxOrderNotional: limits.maxOrderNotional = number
            case .maxDailyLoss: limits.maxDailyLoss = number
            case .maxOrdersPerMinute:
                guard number.rounded() == number else {
                    errors.append(ConfigFieldError(field: key, message: "must be a whole number of orders"))
                    continue
                }
                limits.maxOrdersPerMinute = Int(number)
            }
        }
        return errors.isEmpty ? .success(limits) : .failure(ConfigErrors(fields: errors))
    }
}
