import StrataRuntime

/// A stored signal: an order intent that was denied (observe mode) and recorded instead.
public struct SignalRecord: Sendable, Equatable, Codable {
    /// Increasing with insertion order; assigned by the store (0 before it is stored).
    public var id: Int64
    public var instanceID: String
    public var request: OrderRequest
    /// Engine time (seconds).
    public var time: Double
    /// The last price when the intent was made.
    public var price: Double?
    /// Why it was not executed (`not allowed: observe mode`).
    public var reason: String
    /// Whether the instance's shadow made it (not the instance).
    public var shadow = false
    /// The risk rule that refused it (nil: observe mode).
    public var rule: RiskRule?

    public init(
        id: Int64 = 0, instanceID: String, request: OrderRequest, time: Double, price: Double?,
        reason: String = "not allowed: observe mode", rule: RiskRule? = nil
    ) {
        self.id = id
        self.instanceID = instanceID
        self.request = request
        self.time = time
        self.price = price
        self.reason = reason
        self.rule = rule
    }

    /// The record of a runtime signal: its own reason (a risk refusal), else `reason`.
    public init(_ signal: Signal, reason: String = "not allowed: observe mode") {
        self.init(
            instanceID: signal.instanceID, request: signal.request, time: signal.time,
            price: signal.price, reason: signal.reason ?? reason, rule: signal.rule)
    }
}
