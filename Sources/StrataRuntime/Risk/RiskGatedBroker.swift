/// Whether trading is halted: the kill switch's setting for everyone or for one account.
public enum TradingHalt: String, Sendable, Codable {
    /// Orders go through the limits as usual.
    case trading
    /// Only orders that shrink the position pass.
    case reduceOnly = "reduce_only"
    /// Every order is refused; instances keep receiving ticks and thinking.
    case halted
}

/// The risk gate in front of a broker: every order of every instance passes its instance's
/// limits, then its account's (all the account's instances in that market together), and the
/// halt, before the broker sees it. A refusal is an ``OrderRejection`` naming the rule, which
/// the instance records as a signal. Cancels are never refused. Owned by one thread, as the
/// broker it wraps.
public final class RiskGatedBroker: Broker {
    public let base: any Broker
    /// Limits by instance id, and by account name.
    public var instanceLimits: [String: RiskLimits] = [:]
    public var accountLimits: [String: RiskLimits] = [:]
    /// The halt for every account, and for single accounts (the stricter one applies).
    public var halt = TradingHalt.trading
    public var accountHalts: [String: TradingHalt] = [:]
    private var ledger = RiskLedger()
    /// The day of each scope's mark last returned by ``markDays(at:prices:)`` or restored.
    private var reportedDays: [String: Int] = [:]
    /// The instances seen per account, for the account's position and profit.
    private var members: [String: [String: InstanceIdentity]] = [:]

    public init(base: any Broker) {
        self.base = base
    }

    /// Makes `identity` count toward its account's position and profit before it places an order.
    public func register(_ identity: InstanceIdentity) {
        members[identity.account, default: [:]][identity.id] = identity
    }

    /// Makes exactly `identities` (the running instances) count toward their accounts.
    public func replaceMembers(_ identities: some Sequence<InstanceIdentity>) {
        members = [:]
        for identity in identities { register(identity) }
    }

    public func placeOrder(_ request: OrderRequest, for instance: InstanceIdentity, price: Double?, time: Double) -> Result<Order, OrderRejection> {
        register(instance)
        if let refusal = refusal(request, for: instance, price: price, time: time) {
            return .failure(OrderRejection(refusal.reason, rule: refusal.rule))
        }
        let placed = base.placeOrder(request, for: instance, price: price, time: time)
        if case .success = placed {
            ledger.recordAccepted("i:\(instance.id)", at: time)
            ledger.recordAccepted(accountKey(instance), at: time)
        }
        return placed
    }

    /// The first rule `request` breaks: the halt, the instance's limits, the account's.
    func refusal(_ request: OrderRequest, for instance: InstanceIdentity, price: Double?, time: Double) -> RiskRefusal? {
        let own = exposure(of: [instance], key: "i:\(instance.id)", price: price, time: time)
        switch [halt, accountHalts[instance.account] ?? .trading].max(by: { $0.severity < $1.severity }) ?? .trading {
        case .halted: return RiskRefusal(rule: .halted, scope: .account, "trading is halted")
        case .reduceOnly where !own.reduces(request): return RiskRefusal(rule: .reduceOnly, scope: .account, "trading is halted, reduce-only")
        default: break
        }
        if let limits = instanceLimits[instance.id], let refusal = limits.check(request, exposure: own, price: price, scope: .instance) {
            return refusal
        }
        if let limits = accountLimits[instance.account] {
            let peers = (members[instance.account] ?? [:]).values.filter { $0.market == instance.market }
            let shared = exposure(of: peers, key: accountKey(instance), price: price, time: time)
            return limits.check(request, exposure: shared, price: price, scope: .account)
        }
        return nil
    }

    private func exposure(of instances: some Sequence<InstanceIdentity>, key: String, price: Double?, time: Double) -> RiskExposure {
        var exposure = RiskExposure()
        var pnl = 0.0
        for identity in instances {
            exposure.position += base.position(for: identity)
            for order in base.openOrders(for: identity) {
                let left = order.request.quantity - order.filledQuantity
                if order.request.side == .buy { exposure.openBuys += left } else { exposure.openSells += left }
            }
            pnl += base.pnl(for: identity, price: price)
        }
        exposure.dayPnL = ledger.dayPnL(key, pnl: pnl, at: time)
        exposure.ordersLastMinute = ledger.ordersLastMinute(key, at: time)
        return exposure
    }

    private func accountKey(_ instance: InstanceIdentity) -> String { "a:\(instance.account):\(instance.market)" }

    /// Marks the start of the day, at `time`, for every scope with a daily-loss limit that has
    /// no mark for that day yet, at its profit now (`prices` by market): a loss made before the
    /// scope's first order of the day counts. Cheap when every scope is marked already.
    /// - Returns: the marks of that day not returned before (made here or by an order), to keep
    ///   across a restart.
    public func markDays(at time: Double, prices: [String: Double]) -> [(key: String, day: Int, pnl: Double)] {
        let day = RiskLedger.day(of: time)
        var made: [(key: String, day: Int, pnl: Double)] = []
        func mark(_ key: String, _ instances: [InstanceIdentity]) {
            if ledger.dayMark(key)?.day != day {
                let pnl = instances.reduce(0) { $0 + base.pnl(for: $1, price: prices[$1.market]) }
                ledger.restoreDayMark(key, day: day, pnl: pnl)
            }
            guard let mark = ledger.dayMark(key), reportedDays[key] != mark.day else { return }
            reportedDays[key] = mark.day
            made.append((key, mark.day, mark.pnl))
        }
        for (id, limits) in instanceLimits where limits.maxDailyLoss != nil {
            guard let identity = members.values.lazy.compactMap({ $0[id] }).first else { continue }
            mark("i:\(id)", [identity])
        }
        for (account, limits) in accountLimits where limits.maxDailyLoss != nil {
            let byMarket = Dictionary(grouping: (members[account] ?? [:]).values, by: \.market)
            for (market, instances) in byMarket { mark("a:\(account):\(market)", instances) }
        }
        return made
    }

    /// Restores a day mark saved before a restart (see ``markDays(at:prices:)``).
    public func restoreDayMark(key: String, day: Int, pnl: Double) {
        ledger.restoreDayMark(key, day: day, pnl: pnl)
        reportedDays[key] = day
    }

    /// Starts the day afresh for the scopes of an account that was reset: the day marks of
    /// `instances` (its instances) and of the account in their markets are forgotten, so the day
    /// is marked again at their profit now (0 after a reset; otherwise the profit a reset took
    /// away would count as the day's loss) and the next ``markDays(at:prices:)`` reports it.
    public func restartDays(account: String, instances: [InstanceIdentity]) {
        let members = instances + (self.members[account].map { Array($0.values) } ?? [])
        let keys = Set(members.map { "i:\($0.id)" } + members.map(accountKey))
        ledger.forgetDayMarks(keys)
        for key in keys { reportedDays[key] = nil }
    }

    public func cancelOrder(id: String, for instance: InstanceIdentity) -> Result<Void, OrderRejection> {
        base.cancelOrder(id: id, for: instance)
    }

    public func openOrders(for instance: InstanceIdentity) -> [Order] { base.openOrders(for: instance) }
    public func position(for instance: InstanceIdentity) -> Double { base.position(for: instance) }
    public func balance(of asset: String, for instance: InstanceIdentity) -> Double { base.balance(of: asset, for: instance) }
    public func pnl(for instance: InstanceIdentity, price: Double?) -> Double { base.pnl(for: instance, price: price) }
    public func marketMoved(_ tick: Tick) { base.marketMoved(tick) }
}

extension TradingHalt {
    /// How strict it is: trading 0, reduce-only 1, halted 2.
    public var severity: Int {
        switch self {
        case .trading: return 0
        case .reduceOnly: return 1
        case .halted: return 2
        }
    }
}
