/// The immutable identity of a strategy instance, fixed at creation.
public struct InstanceIdentity: Sendable, Hashable, Codable {
    public let id: String
    public let strategyType: String
    public let account: String
    public let market: String

    public init(id: String, strategyType: String, account: String, market: String) {
        self.id = id
        self.strategyType = strategyType
        self.account = account
        self.market = market
    }

    enum CodingKeys: String, CodingKey {
        case id, account, market
        case strategyType = "strategy_type"
    }
}

/// What an instance may do: nothing (not loaded), think only, or think and trade.
public enum InstanceMode: String, Sendable, Codable, CaseIterable {
    case off
    case observe
    case active
}
