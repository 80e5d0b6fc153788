import Foundation
import StrataRuntime

/// The risk gate's desired state: limits per instance and per account, and the kill switch.
/// Writes move the change token (the engines apply them at their next reconcile, before their
/// next tick round) and are audited: an instance's limits in its own audit log (field `risk`),
/// an account's limits and the halts in the control audit.
public protocol RiskStore: Sendable {
    /// Every limit and halt, read in one transaction.
    func riskSettings() throws -> RiskSettings

    /// Sets an instance's limits (``RiskLimits/none`` removes them); audited as `risk`.
    /// - Throws: `notFound` for an unknown instance.
    @discardableResult
    func setRiskLimits(instanceID: String, to limits: RiskLimits, actor: AuditActor) throws -> RiskLimits

    /// Sets an account's limits, which all its instances share; audited in the control audit.
    /// - Throws: `notFound` for an unknown account.
    @discardableResult
    func setRiskLimits(account: String, to limits: RiskLimits, actor: AuditActor) throws -> RiskLimits

    /// Sets the kill switch for every account (`account` nil) or one; ``TradingHalt/trading``
    /// lifts it. Audited in the control audit when it changes anything.
    /// - Throws: `notFound` for an unknown account.
    /// - Returns: the halts now in force.
    @discardableResult
    func setHalt(account: String?, to halt: TradingHalt, actor: AuditActor) throws -> [TradingHaltRecord]

    /// The newest `limit` control audit entries (account limits, halts), oldest first.
    func controlAudit(limit: Int) throws -> [ControlAuditEntry]

    /// Where each daily-loss scope's day began, as the engine marked it.
    func riskDayMarks() throws -> [RiskDayMark]

    /// Keeps day marks across a restart (replacing those with the same key).
    func saveRiskDayMarks(_ marks: [RiskDayMark]) throws
}

extension RiskStore {
    /// Lifts every halt in force (each audited); the `resume` of the CLI and the API.
    /// - Returns: the halts still in force (none, unless another writer halted meanwhile).
    @discardableResult
    public func resumeAll(actor: AuditActor) throws -> [TradingHaltRecord] {
        for halt in try riskSettings().halts { try setHalt(account: halt.account, to: .trading, actor: actor) }
        return try riskSettings().halts
    }
}

/// What the risk gate applies: every limit and every halt.
public struct RiskSettings: Sendable, Equatable {
    /// Limits by instance id.
    public var instanceLimits: [String: RiskLimits] = [:]
    /// Limits by account name.
    public var accountLimits: [String: RiskLimits] = [:]
    /// The halts in force (none: everyone trades).
    public var halts: [TradingHaltRecord] = []

    public init(instanceLimits: [String: RiskLimits] = [:], accountLimits: [String: RiskLimits] = [:], halts: [TradingHaltRecord] = []) {
        self.instanceLimits = instanceLimits
        self.accountLimits = accountLimits
        self.halts = halts
    }

    /// The halt for every account.
    public var globalHalt: TradingHalt { halts.first { $0.account == nil }?.state ?? .trading }

    /// The halts of single accounts, by name.
    public var accountHalts: [String: TradingHalt] {
        Dictionary(halts.compactMap { halt in halt.account.map { ($0, halt.state) } }, uniquingKeysWith: { $1 })
    }

    /// The halt that applies to `account`: the stricter of everyone's and its own.
    public func halt(for account: String) -> TradingHalt {
        [globalHalt, accountHalts[account] ?? .trading].max { $0.severity < $1.severity } ?? .trading
    }
}

/// One halt in force: for every account (`account` nil) or one.
public struct TradingHaltRecord: Sendable, Equatable, Codable {
    public var account: String?
    public var state: TradingHalt
    public var actor: AuditActor
    public var since: Date

    public init(account: String?, state: TradingHalt, actor: AuditActor, since: Date) {
        self.account = account
        self.state = state
        self.actor = actor
        self.since = since
    }
}

/// A change that belongs to no one instance: an account's limits, a halt, an account's
/// creation, funding or reset.
public struct ControlAuditEntry: Sendable, Equatable {
    /// What changed.
    public enum Field: String, Sendable, Codable, CaseIterable {
        case risk
        case halt
        /// An account was created; `new` holds its name, kind, currency and starting cash.
        case account
        /// An account was funded; `old` and `new` are its fundings before and after, `new` with the amount.
        case funding
        /// An account was reset; `old` holds what it had, `new` its reset count and starting cash.
        case reset
    }

    public var id: Int64
    public var at: Date
    public var actor: AuditActor
    /// The account it concerns (nil: every account).
    public var account: String?
    public var field: Field
    public var old: JSONValue?
    public var new: JSONValue

    public init(id: Int64, at: Date, actor: AuditActor, account: String?, field: Field, old: JSONValue?, new: JSONValue) {
        self.id = id
        self.at = at
        self.actor = actor
        self.account = account
        self.field = field
        self.old = old
        self.new = new
    }
}

/// Where a daily-loss scope's day began: its UTC day and its profit then.
public struct RiskDayMark: Sendable, Equatable {
    /// The scope (see ``RiskGatedBroker``'s keys).
    public var key: String
    public var day: Int
    public var pnl: Double

    public init(key: String, day: Int, pnl: Double) {
        self.key = key
        self.day = day
        self.pnl = pnl
    }
}
