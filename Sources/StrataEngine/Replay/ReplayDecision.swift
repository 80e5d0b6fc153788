import StrataRuntime

/// One decision an instance made on a tick — an order it placed (with what became of it) or a
/// signal it recorded — in the terms a replay compares: everything but the order's id (ids are
/// numbered across all the engine's instances, so a replay of one cannot reproduce them).
public struct ReplayDecision: Sendable, Equatable, Hashable {
    public enum Kind: String, Sendable {
        case order, signal
    }

    public var kind: Kind
    public var tickSeq: Int64
    public var time: Double
    public var side: OrderSide
    public var quantity: Double
    public var type: OrderType
    public var price: Double?
    public var tag: String?
    /// An order's final state (`filled`, `open`, …); a signal's reason.
    public var outcome: String
    /// The average fill price of a filled order.
    public var fillPrice: Double?
    public var fee: Double?

    public init(order: Order) {
        kind = .order
        tickSeq = order.request.tickSeq ?? 0
        time = order.createdAt
        side = order.request.side
        quantity = order.request.quantity
        type = order.request.type
        price = order.request.price
        tag = order.request.tag
        outcome = order.status == .rejected ? "rejected: \(order.rejectReason ?? "")" : order.status.rawValue
        fillPrice = order.averagePrice
        fee = order.status == .filled ? order.fee : nil
    }

    public init(signal: SignalRecord) {
        kind = .signal
        tickSeq = signal.request.tickSeq ?? 0
        time = signal.time
        side = signal.request.side
        quantity = signal.request.quantity
        type = signal.request.type
        price = signal.request.price
        tag = signal.request.tag
        outcome = signal.reason
    }

    /// The JSON form (`strata replay --json`).
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "kind": .string(kind.rawValue), "tick_seq": .integer(tickSeq), "time": .number(time), "side": .string(side.rawValue),
            "quantity": .number(quantity), "type": .string(type.rawValue), "outcome": .string(outcome),
        ]
        if let price { object["price"] = .number(price) }
        if let tag { object["tag"] = .string(tag) }
        if let fillPrice { object["fill_price"] = .number(fillPrice) }
        if let fee { object["fee"] = .number(fee) }
        return .object(object)
    }
}

/// How a replay's decisions differ from what happened live, tick by tick.
public struct ReplayDifference: Sendable, Equatable {
    public var tickSeq: Int64
    /// What live did on that tick that the replay did not, and the other way round.
    public var onlyLive: [ReplayDecision]
    public var onlyReplay: [ReplayDecision]

    /// The decisions of both, grouped by tick; a tick whose decisions match (as a multiset, in
    /// order) is not listed.
    public static func between(live: [ReplayDecision], replay: [ReplayDecision]) -> [ReplayDifference] {
        let liveByTick = Dictionary(grouping: live, by: \.tickSeq)
        let replayByTick = Dictionary(grouping: replay, by: \.tickSeq)
        var differences: [ReplayDifference] = []
        for seq in Set(liveByTick.keys).union(replayByTick.keys).sorted() {
            let left = liveByTick[seq] ?? []
            let right = replayByTick[seq] ?? []
            guard left != right else { continue }
            var onlyLive = left
            var onlyReplay: [ReplayDecision] = []
            for decision in right {
                if let index = onlyLive.firstIndex(of: decision) {
                    onlyLive.remove(at: index)
                } else {
                    onlyReplay.append(decision)
                }
            }
            if !onlyLive.isEmpty || !onlyReplay.isEmpty {
                differences.append(ReplayDifference(tickSeq: seq, onlyLive: onlyLive, onlyReplay: onlyReplay))
            }
        }
        return differences
    }
}
