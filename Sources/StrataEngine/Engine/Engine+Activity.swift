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

extension Engine {
    /// Writes what the instances did since the last call — orders and fills from the paper
    /// broker, observe-mode signals, log lines — to the store, so a crash loses at most one
    /// loop step. Only what is new is written (orders: one transaction, fills: one, signals:
    /// one, logs: one; nothing at all when nothing happened). A cursor moves only after its
    /// write succeeded, and a fill's id is its order's id (the paper broker fills an order
    /// whole), so a retried write cannot duplicate a fill.
    public func flushActivity() throws {
        // The ticks first: orders, fills and signals name the ticks they came from.
        try flushJournal()
        try flushOrders()
        try flushSignalsAndLogs()
    }

    private func flushOrders() throws {
        let history = broker.history
        guard history.count != activity.historyFlushed || broker.nextOrderNumber != activity.orderNumberSeen else { return }
        let finished = Array(history[min(activity.historyFlushed, history.count)...])
        let opened = broker.allOpenOrders.filter { !activity.openFlushed.contains($0.id) }
        try store.saveOrders(finished + opened)
        try store.appendFills(finished.compactMap(Self.fill(of:)))
        // The store keeps the history: the broker's copy is let go once written, so a long run
        // does not grow with every order ever placed.
        broker.discardHistory(first: history.count)
        activity.historyFlushed = 0
        activity.orderNumberSeen = broker.nextOrderNumber
        activity.openFlushed.subtract(finished.map(\.id))
        activity.openFlushed.formUnion(opened.map(\.id))
        events.publish((finished + opened).map { EngineEvent(instanceID: $0.instanceID, payload: .order($0)) })
    }

    private func flushSignalsAndLogs() throws {
        var signals: [SignalRecord] = []
        var logs: [InstanceLogEntry] = []
        var signalCursors: [(InstanceSlot, Int)] = []
        var logCursors: [(InstanceSlot, Int)] = []
        // Two integer compares per instance: this runs every loop step over every instance.
        for instance in instances.values {
            guard let slot = instance.slot else { continue }
            let runtime = slot.runtime
            let recorded = runtime.signalsRecorded
            if recorded != slot.signalsFlushed {
                let kept = runtime.signals
                signals += kept.suffix(min(recorded - slot.signalsFlushed, kept.count)).map { SignalRecord($0) }
                signalCursors.append((slot, recorded))
            }
            let appended = runtime.log.appended
            if appended != slot.logsFlushed {
                let kept = runtime.log.lines
                logs += kept.suffix(min(appended - slot.logsFlushed, kept.count)).map { InstanceLogEntry(instanceID: slot.id, line: $0) }
                logCursors.append((slot, appended))
            }
        }
        let shadowSignals = collectShadowSignals()
        signals += shadowSignals.records
        signalCursors += shadowSignals.cursors
        if !signalCursors.isEmpty {
            try store.appendSignals(signals)
            // Written: the runtime's copies go (the store keeps them), so memory stays flat.
            for (slot, count) in signalCursors {
                slot.signalsFlushed = count
                slot.runtime.discardKeptSignals()
            }
            events.publish(signals.map { EngineEvent(instanceID: $0.instanceID, payload: .signal($0)) })
        }
        if !logCursors.isEmpty {
            try store.appendLogs(logs)
            for (slot, count) in logCursors {
                slot.logsFlushed = count
                slot.runtime.discardKeptLogLines()
            }
            events.publish(logs.map { EngineEvent(instanceID: $0.instanceID, payload: .log($0)) })
        }
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
