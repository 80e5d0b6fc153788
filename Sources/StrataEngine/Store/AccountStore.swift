import Foundation
import StrataRuntime

/// Accounts as records: created explicitly (or implicitly with their first instance), funded and
/// reset. Writes move the change token (the engines apply them at their next reconcile) and are
/// audited in the control audit (fields `account`, `funding`, `reset`).
public protocol AccountStore: Sendable {
    /// Creates the account if it is missing; an existing account is left as it is (not audited:
    /// the implicit creation of an instance's account).
    @discardableResult
    func ensureAccount(_ account: AccountRecord) throws -> AccountRecord

    /// All accounts, by name.
    func accounts() throws -> [AccountRecord]

    /// The account `name`, or nil.
    func account(name: String) throws -> AccountRecord?

    /// Creates an account (its name, kind, currency and starting cash; the rest as new) and
    /// audits it as `account`.
    /// - Throws: `alreadyExists` when the name is taken; `invalidArgument` for a field
    ///   ``AccountRules`` refuses.
    @discardableResult
    func createAccount(_ account: AccountRecord, actor: AuditActor) throws -> AccountRecord

    /// Adds `amount` to the account's fundings (its base cash grows by it); audited as `funding`.
    /// - Throws: `notFound`; `invalidArgument` when ``AccountRules/fundingProblem(_:)`` refuses
    ///   the amount or the base cash would pass ``AccountRules/maxCash``.
    @discardableResult
    func fundAccount(_ name: String, amount: Double, actor: AuditActor) throws -> AccountRecord

    /// Resets a paper account: fundings to 0, one more reset, and the fills made so far no
    /// longer count (the engine flattens its instances and cancels their orders when it applies
    /// it). Audited as `reset`.
    /// - Throws: `notFound`; `conflict` naming the instances of the account whose mode is
    ///   `active`; `invalidArgument` for an account that is not paper.
    @discardableResult
    func resetAccount(_ name: String, actor: AuditActor) throws -> AccountRecord

    /// The newest `limit` control audit entries of one account, oldest first.
    func accountAudit(name: String, limit: Int) throws -> [ControlAuditEntry]

    /// Every order and every fill, oldest first, in one consistent read, and the ids of the
    /// orders and fills made before their account's last reset (which no longer count).
    func tradingHistory() throws -> TradingHistory

    /// The newest `limit` fills of an instance made since its account's last reset, oldest first
    /// (a cluster node rebuilds the book of an instance it takes over from them).
    func fillsSinceReset(instanceID: String, limit: Int) throws -> [FillRecord]
}

/// Every order and fill the store holds, and which fills a reset left behind.
public struct TradingHistory: Sendable {
    public var orders: [Order]
    public var fills: [FillRecord]
    /// The fills made before their account's last reset.
    public var fillsBeforeReset: Set<String>
    /// The orders placed before their account's last reset.
    public var ordersBeforeReset: Set<String>

    public init(orders: [Order], fills: [FillRecord], fillsBeforeReset: Set<String>, ordersBeforeReset: Set<String> = []) {
        self.orders = orders
        self.fills = fills
        self.fillsBeforeReset = fillsBeforeReset
        self.ordersBeforeReset = ordersBeforeReset
    }

    /// The fills that count: those after their account's last reset, oldest first.
    public var countedFills: [FillRecord] {
        fillsBeforeReset.isEmpty ? fills : fills.filter { !fillsBeforeReset.contains($0.id) }
    }
}
