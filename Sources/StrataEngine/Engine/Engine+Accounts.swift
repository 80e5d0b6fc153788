import Foundation
import StrataRuntime

/// What the engine last gave the paper broker of each account: its base cash and its resets.
struct AccountCursor {
    struct Applied: Equatable {
        var baseCash: Double
        var resets: Int
    }

    /// By account name (empty before the first reconcile).
    var applied: [String: Applied] = [:]

    /// Whether `record` is newer than what was applied of its account: unknown, reset more
    /// often, or funded more since the same reset (fundings only grow between resets, so a
    /// record read before the last one applied is never taken for newer).
    func isNewer(_ record: AccountRecord) -> Bool {
        guard let applied = applied[record.name] else { return true }
        return record.resets > applied.resets || (record.resets == applied.resets && record.baseCash > applied.baseCash)
    }
}

// Accounts: the store's fundings and resets applied to the paper broker between tick rounds.
extension Engine {
    /// Gives the paper broker each account's base cash (read at the start of the reconcile), and
    /// resets the accounts whose reset count grew since the last call: their instances go flat,
    /// their open orders are cancelled (and recorded so), their cash goes back to the base.
    /// Only what changed is applied; each change is published as a `control` event.
    func applyAccounts(_ records: [AccountRecord]) {
        var cancelled: [Order] = []
        var changes: [EngineEvent] = []
        for record in records {
            let now = AccountCursor.Applied(baseCash: record.baseCash, resets: record.resets)
            let previous = accounts.applied[record.name]
            guard previous != now else { continue }
            let reset = previous.map { record.resets > $0.resets } ?? false
            let dropped: [Order] = sharedBroker.withBroker { paper in
                if reset { return paper.resetAccount(record.name, baseCash: record.baseCash) }
                paper.setBaseCash(record.baseCash, for: record.name)
                return []
            }
            cancelled += dropped
            if reset { restartRiskDays(of: record.name) }
            accounts.applied[record.name] = now
            // The first sight of an account (a new one) is no change worth an event.
            guard previous != nil else { continue }
            let change: JSONValue = .object([
                "action": .string(reset ? "reset" : "fund"), "account": .string(record.name),
                "base_cash": .number(record.baseCash), "cancelled_orders": .integer(Int64(dropped.count)),
            ])
            changes.append(EngineEvent(instanceID: "", payload: .control(change)))
        }
        if !cancelled.isEmpty { recordCancelled(cancelled) }
        events.publish(changes)
    }

    /// Gives the paper broker every account's base cash before the store's fills are replayed
    /// into it (first reconcile), so the replay starts from what each account was given.
    func setBaseCash(_ records: [AccountRecord]) {
        sharedBroker.withBroker { paper in
            for record in records { paper.setBaseCash(record.baseCash, for: record.name) }
        }
        for record in records { accounts.applied[record.name] = .init(baseCash: record.baseCash, resets: record.resets) }
    }

    /// Makes the risk gate mark the day again for a reset account's scopes (at the next tick).
    private func restartRiskDays(of account: String) {
        let identities = instances.values.compactMap { $0.snapshot.identity.account == account ? $0.snapshot.identity : nil }
        sharedBroker.withGate { $0.restartDays(account: account, instances: identities) }
        risk.markedDay = nil
    }

    /// Stores orders a reset cancelled (a failed write is counted; the next start's repair
    /// stores every order left open as cancelled) and publishes them.
    private func recordCancelled(_ orders: [Order]) {
        do {
            try store.saveOrders(orders)
            activity.openFlushed.subtract(orders.map(\.id))
        } catch {
            counters.record(.activityWrite, "orders cancelled by an account reset: \(error)")
        }
        events.publish(orders.map { EngineEvent(instanceID: $0.instanceID, payload: .order($0)) })
    }

    /// The statement of `account` from the live paper broker, its positions marked at the last
    /// ticks. `instances` are the store's (those of other accounts are left out). A record newer
    /// than what the engine applied (a creation, funding or reset the next reconcile would apply)
    /// is applied first, so the statement answering a write shows it.
    public func accountStatement(_ account: AccountRecord, instances: [InstanceRecord]) -> AccountStatement {
        if accounts.isNewer(account) { applyAccounts([account]) }
        let prices = lastPrices
        return sharedBroker.withBroker { paper in
            AccountStatement(account: account, instances: instances, broker: paper, prices: prices, priceSource: .live)
        }
    }
}
