import Foundation
import StrataRuntime

/// How far `flushActivity` has written the broker's and the instances' activity to the store.
struct ActivityCursors {
    /// Whether the paper broker was restored from the store's fills (first reconcile).
    var restored = false
    /// `broker.history` entries already written (the engine discards them after each write, so
    /// this is 0 between flushes).
    var historyFlushed = 0
    /// `broker.nextOrderNumber` at the last flush: when it has not moved, no order was placed.
    var orderNumberSeen = 1
    /// Open orders written as open that have not reached a final state yet.
    var openFlushed: Set<String> = []
    // Each instance's signal and log cursors live in its ``InstanceSlot``: a new runtime (a load
    // after an unload or an error) starts over with a new slot.
}

/// Where each slot's signal and log cursors move once a flush is written.
struct ActivityCursorMoves {
    var signals: [(InstanceSlot, Int)] = []
    var logs: [(InstanceSlot, Int)] = []
}

extension Engine {
    /// Writes what the instances did since the last call — the ticks journaled and the orders
    /// and fills from the paper broker, observe-mode signals and log lines they led to — to the
    /// store in one transaction, so a crash loses at most one loop step and never keeps a
    /// journaled tick without its decisions (nothing at all is written when nothing happened).
    /// The cursors move only after the write succeeded, and a fill's id is its order's id (the
    /// paper broker fills an order whole), so a retried write cannot duplicate a fill.
    public func flushActivity() throws {
        var batch = ActivityBatch(ticks: cursor.pendingJournal)
        let orders = pendingOrders()
        batch.orders = orders.finished + orders.opened
        batch.fills = orders.finished.compactMap(Self.fill(of:))
        let pending = pendingSignalsAndLogs()
        batch.signals = pending.signals
        batch.logs = pending.logs
        guard !batch.isEmpty else { return }
        try store.appendActivity(batch)

        cursor.pendingJournal = []
        if let historyCount = orders.historyCount {
            // The store keeps the history: the broker's copy is let go once written, so a long
            // run does not grow with every order ever placed.
            broker.discardHistory(first: historyCount)
            activity.historyFlushed = 0
            activity.orderNumberSeen = broker.nextOrderNumber
            activity.openFlushed.subtract(orders.finished.map(\.id))
            activity.openFlushed.formUnion(orders.opened.map(\.id))
        }
        // Written: the runtimes' copies go (the store keeps them), so memory stays flat.
        for (slot, count) in pending.cursors.signals {
            slot.signalsFlushed = count
            slot.runtime.discardKeptSignals()
        }
        for (slot, count) in pending.cursors.logs {
            slot.logsFlushed = count
            slot.runtime.discardKeptLogLines()
        }
        events.publish(batch.orders.map { EngineEvent(instanceID: $0.instanceID, payload: .order($0)) })
        events.publish(batch.signals.map { EngineEvent(instanceID: $0.instanceID, payload: .signal($0)) })
        events.publish(batch.logs.map { EngineEvent(instanceID: $0.instanceID, payload: .log($0)) })
    }

    /// The broker's orders not written yet: those that reached a final state and those opened
    /// since the last write, and how long the broker's history was (nil when no order moved).
    private func pendingOrders() -> (finished: [Order], opened: [Order], historyCount: Int?) {
        let history = broker.history
        guard history.count != activity.historyFlushed || broker.nextOrderNumber != activity.orderNumberSeen else { return ([], [], nil) }
        let finished = Array(history[min(activity.historyFlushed, history.count)...])
        let opened = broker.allOpenOrders.filter { !activity.openFlushed.contains($0.id) }
        return (finished, opened, history.count)
    }

    /// The signals (the shadows' too) and log lines not written yet, with the cursors to move
    /// once they are.
    private func pendingSignalsAndLogs() -> (signals: [SignalRecord], logs: [InstanceLogEntry], cursors: ActivityCursorMoves) {
        var signals: [SignalRecord] = []
        var logs: [InstanceLogEntry] = []
        var moves = ActivityCursorMoves()
        // Two integer compares per instance: this runs every loop step over every instance.
        for instance in instances.values {
            guard let slot = instance.slot else { continue }
            let runtime = slot.runtime
            let recorded = runtime.signalsRecorded
            if recorded != slot.signalsFlushed {
                let kept = runtime.signals
                signals += kept.suffix(min(recorded - slot.signalsFlushed, kept.count)).map { SignalRecord($0) }
                moves.signals.append((slot, recorded))
            }
            let appended = runtime.log.appended
            if appended != slot.logsFlushed {
                let kept = runtime.log.lines
                logs += kept.suffix(min(appended - slot.logsFlushed, kept.count)).map { InstanceLogEntry(instanceID: slot.id, line: $0) }
                moves.logs.append((slot, appended))
            }
        }
        let shadows = collectShadowSignals()
        moves.signals += shadows.cursors
        return (signals + shadows.records, logs, moves)
    }

    /// The fill record of a filled order (nil for any other state). One per order: its id is the order's.
    static func fill(of order: Order) -> FillRecord? {
        guard order.status == .filled, let price = order.averagePrice else { return nil }
        return FillRecord(
            id: order.id, orderID: order.id, instanceID: order.instanceID, market: order.market,
            side: order.request.side, quantity: order.filledQuantity, price: price, fee: order.fee,
            time: order.filledAt ?? order.createdAt, tickSeq: order.request.tickSeq)
    }

    // MARK: Restart

    /// On the first reconcile: gives the paper broker each account's base cash and replays
    /// every stored fill made since its account's last reset, so a restarted engine continues
    /// each account's cash and each instance's position, and makes new order ids follow the
    /// stored ones. Repairs what a crash between two writes can leave: a filled
    /// order whose fill is missing gets it; an order still stored as open (the broker that held
    /// it is gone) is stored as cancelled. The store is read and repaired before the broker is
    /// touched, so a failed attempt (retried at the next reconcile) cannot book a fill twice.
    func restoreBrokerIfNeeded(instances: [InstanceRecord], accounts records: [AccountRecord]) throws {
        guard !activity.restored else { return }
        if cluster != nil {
            setBaseCash(records)
            // A node books each instance when it takes its lease (``adopt``); here it only
            // learns where its own order ids go on.
            for order in try store.allOrdersAndFills().orders { broker.continueOrderIDs(after: order.id) }
            activity.orderNumberSeen = broker.nextOrderNumber
            activity.restored = true
            return
        }
        var replay: [(InstanceIdentity, FillRecord)] = []
        var orderIDs: [String] = []
        var missingFills: [FillRecord] = []
        var abandoned: [Order] = []
        let identities = Dictionary(instances.map { ($0.id, $0.identity) }, uniquingKeysWith: { first, _ in first })
        let history = try store.tradingHistory()
        var filled = Set(history.fills.map(\.orderID))
        for order in history.orders {
            orderIDs.append(order.id)
            if let fill = Self.fill(of: order), !filled.contains(order.id) {
                missingFills.append(fill)
                filled.insert(order.id)
            } else if order.status == .open {
                var cancelled = order
                cancelled.status = .cancelled
                abandoned.append(cancelled)
            }
        }
        // In the order they happened (the store's sequence), repaired ones last; those before
        // their account's reset (a repaired one: its order's) no longer count.
        for fill in history.countedFills + missingFills.filter({ !history.ordersBeforeReset.contains($0.orderID) }) {
            if let identity = identities[fill.instanceID] { replay.append((identity, fill)) }
        }
        try store.saveOrders(abandoned)
        try store.appendFills(missingFills)
        setBaseCash(records)
        for (identity, fill) in replay {
            broker.restore(
                fillOf: fill.orderID, for: identity, side: fill.side, quantity: fill.quantity,
                price: fill.price, fee: fill.fee, time: fill.time)
        }
        for id in orderIDs { broker.continueOrderIDs(after: id) }
        activity.orderNumberSeen = broker.nextOrderNumber
        activity.restored = true
    }
}
