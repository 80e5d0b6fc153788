import Foundation
import StrataRuntime

/// What the engine last gave the risk gate, and where the gate's day marks stand.
struct RiskCursor {
    /// The settings applied (nil before the first reconcile).
    var applied: RiskSettings?
    /// Whether the day marks saved by an earlier run were restored.
    var marksRestored = false
    /// The UTC day every daily-loss scope was last marked for (nil: mark at the next tick;
    /// each reconcile sets it, so new scopes are marked).
    var markedDay: Int?
}

// The risk gate: the store's limits and halts applied between tick rounds, open orders cancelled
// when a halt tightens, and the start of each day marked for daily-loss limits.
extension Engine {
    /// Gives the gate the running instances, the limits and the halts (read at the start of the
    /// reconcile, before anything loaded), so the next tick round trades under them. Where a
    /// halt tightened, the affected instances' open orders are cancelled and the change is
    /// published as a `control` event.
    func applyRisk(_ settings: RiskSettings) {
        let identities = instances.values.compactMap { $0.runtime?.identity }
        let marks = risk.marksRestored ? [] : restoredDayMarks()
        let previous = risk.applied ?? RiskSettings()
        sharedBroker.withGate { gate in
            gate.replaceMembers(identities)
            for mark in marks { gate.restoreDayMark(key: mark.key, day: mark.day, pnl: mark.pnl) }
            gate.instanceLimits = settings.instanceLimits
            gate.accountLimits = settings.accountLimits
            gate.halt = settings.globalHalt
            gate.accountHalts = settings.accountHalts
        }
        // Scopes that are new (limits, instances) get their day marked at the next tick.
        risk.markedDay = nil
        risk.applied = settings
        guard previous.globalHalt != settings.globalHalt || previous.accountHalts != settings.accountHalts else { return }
        publishHaltChanges(from: previous, to: settings)
    }

    /// Cancels the open orders of every account whose halt tightened and publishes one `control`
    /// event per changed halt.
    private func publishHaltChanges(from previous: RiskSettings, to settings: RiskSettings) {
        let cancelled: [String: Int] = sharedBroker.withBroker { paper in
            var counts: [String: Int] = [:]
            for order in paper.allOpenOrders {
                guard let identity = instances[order.instanceID]?.snapshot.identity,
                    settings.halt(for: identity.account).severity > previous.halt(for: identity.account).severity
                else { continue }
                if case .success = paper.cancelOrder(id: order.id, for: identity) { counts[identity.account, default: 0] += 1 }
            }
            return counts
        }
        let scopes = Set(previous.halts.map(\.account) + settings.halts.map(\.account))
        var events: [EngineEvent] = []
        for account in scopes.sorted(by: { ($0 ?? "") < ($1 ?? "") }) {
            let before = previous.halts.first { $0.account == account }?.state ?? .trading
            let after = settings.halts.first { $0.account == account }?.state ?? .trading
            guard before != after else { continue }
            let count = account.map { cancelled[$0] ?? 0 } ?? cancelled.values.reduce(0, +)
            let change: JSONValue = .object([
                "action": .string(after == .trading ? "resume" : "halt"), "account": account.map(JSONValue.string) ?? .null,
                "state": .string(after.rawValue), "previous": .string(before.rawValue), "cancelled_orders": .integer(Int64(count)),
            ])
            events.append(EngineEvent(instanceID: "", payload: .control(change)))
        }
        self.events.publish(events)
    }

    /// The day marks an earlier run saved (none when the read fails: the day restarts now).
    private func restoredDayMarks() -> [RiskDayMark] {
        do {
            let marks = try store.riskDayMarks()
            risk.marksRestored = true
            return marks
        } catch {
            counters.record(.reconcile, "risk day marks: \(error)")
            return []
        }
    }

    /// Marks the start of the day for daily-loss limits when the engine's clock enters a new UTC
    /// day (or the limits changed), at each scope's profit then, and saves the marks.
    func markRiskDays(at time: Double) {
        let day = RiskLedger.day(of: time)
        guard risk.markedDay != day, let applied = risk.applied else { return }
        risk.markedDay = day
        let hasDailyLoss = applied.instanceLimits.values.contains { $0.maxDailyLoss != nil } || applied.accountLimits.values.contains { $0.maxDailyLoss != nil }
        guard hasDailyLoss else { return }
        let prices = lastPrices
        let made = sharedBroker.withGate { $0.markDays(at: time, prices: prices) }
        do {
            try store.saveRiskDayMarks(made.map { RiskDayMark(key: $0.key, day: $0.day, pnl: $0.pnl) })
        } catch {
            counters.record(.activityWrite, "risk day marks: \(error)")
        }
    }
}
