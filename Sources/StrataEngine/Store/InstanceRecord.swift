import Foundation
import StrataRuntime

/// The desired state of one strategy instance: the row the engine reconciles toward.
///
/// `identity` is fixed at creation and no store call can change it; `mode` and `config` change
/// only through ``InstanceStore/setMode(id:to:actor:)`` and ``InstanceStore/setConfig(id:to:actor:)``,
/// which record every change in the audit log.
public struct InstanceRecord: Sendable, Equatable, Codable {
    /// Who the instance is: id, strategy type, account and market. Immutable.
    public let identity: InstanceIdentity
    /// What the instance may do.
    public var mode: InstanceMode
    /// The instance's config, as validated against the strategy's schema by the caller.
    public var config: [String: JSONValue]
    /// When the instance was created.
    public var createdAt: Date
    /// When `mode` or `config` last changed.
    public var updatedAt: Date

    public init(
        identity: InstanceIdentity, mode: InstanceMode, config: [String: JSONValue],
        createdAt: Date, updatedAt: Date
    ) {
        self.identity = identity
        self.mode = mode
        self.config = config
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The instance id.
    public var id: String { identity.id }
    /// The strategy type (the script's file name without `.lua`).
    public var strategyType: String { identity.strategyType }
    /// The account whose broker executes the instance's orders.
    public var account: String { identity.account }
    /// The market whose ticks the instance receives.
    public var market: String { identity.market }

    enum CodingKeys: String, CodingKey {
        case identity, mode, config
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

extension InstanceRecord {
    /// A fresh, readable instance id: the strategy type and eight random hex digits (`sma_cross-1f0c9a3e`).
    public static func makeID(strategyType: String) -> String {
        let suffix = String(UInt32.random(in: .min ... .max), radix: 16)
        return strategyType + "-" + String(repeating: "0", count: 8 - suffix.count) + suffix
    }

    /// The JSON the audit log keeps for a creation: identity, mode and config.
    public var auditValue: JSONValue {
        .object([
            "id": .string(id),
            "strategy_type": .string(strategyType),
            "account": .string(account),
            "market": .string(market),
            "mode": .string(mode.rawValue),
            "config": .object(config),
        ])
    }
}
