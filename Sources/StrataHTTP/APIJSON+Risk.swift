import Foundation
import StrataEngine
import StrataRuntime

// The risk gate's shapes (schemas/openapi.yaml: InstanceRisk, AccountRisk, Halts).
extension APIJSON {
    /// `InstanceRisk`: the instance's limits, its account's, and the halt it trades under.
    static func instanceRisk(_ record: InstanceRecord, settings: RiskSettings) -> JSONValue {
        .object([
            "instance_id": .string(record.id), "account": .string(record.account),
            "limits": (settings.instanceLimits[record.id] ?? .none).json,
            "account_limits": (settings.accountLimits[record.account] ?? .none).json,
            "halt": .string(settings.halt(for: record.account).rawValue),
        ])
    }

    /// `AccountRisk`: the limits the account's instances share and the halt it trades under.
    static func accountRisk(_ account: String, settings: RiskSettings) -> JSONValue {
        .object([
            "account": .string(account), "limits": (settings.accountLimits[account] ?? .none).json,
            "halt": .string(settings.halt(for: account).rawValue),
        ])
    }

    /// `Halts`: the halts in force, the state of every account, and the latest changes.
    static func halts(_ halts: [TradingHaltRecord], audit: [ControlAuditEntry]) -> JSONValue {
        let global = halts.first { $0.account == nil }?.state ?? .trading
        return .object([
            "state": .string(global.rawValue),
            "halts": .array(
                halts.map { halt in
                    .object([
                        "account": halt.account.map(JSONValue.string) ?? .null, "state": .string(halt.state.rawValue),
                        "actor": .string(halt.actor.rawValue), "since": time(halt.since),
                    ])
                }),
            "audit": .array(audit.map(controlAudit)),
        ])
    }
}
