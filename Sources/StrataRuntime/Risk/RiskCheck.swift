/// A rule of the risk gate, by the name a refused order's signal records.
public enum RiskRule: String, Sendable, Codable, CaseIterable {
    /// Trading is halted (the kill switch): every order is refused.
    case halted = "halt"
    /// Halted with reduce-only: only orders that shrink the position pass.
    case reduceOnly = "reduce_only"
    case maxOrderQuantity = "max_order_quantity"
    case maxOrderNotional = "max_order_notional"
    case maxPosition = "max_position"
    case maxOrdersPerMinute = "max_orders_per_minute"
    /// The day's loss reached its limit: reduce-only until the next UTC day.
    case maxDailyLoss = "max_daily_loss"
}

/// Whose limit refused an order: the instance's own, or its account's (all its instances together).
public enum RiskScope: String, Sendable, Codable {
    case instance
    case account
}

/// Why the risk gate refused an order: the rule, whose it is, and a sentence for the script and the log.
public struct RiskRefusal: Error, Sendable, Equatable {
    public var rule: RiskRule
    public var scope: RiskScope
    public var reason: String

    public init(rule: RiskRule, scope: RiskScope, _ detail: String) {
        self.rule = rule
        self.scope = scope
        self.reason = "refused by risk: \(scope.rawValue) \(rule.rawValue) (\(detail))"
    }
}

/// What the gate knows of one scope (an instance, or an account in one market) when an order
/// arrives: the position it would change and how the day and the minute went so far.
public struct RiskExposure: Sendable, Equatable {
    /// The signed position (base units).
    public var position: Double
    /// Quantity of open buy orders and of open sell orders (base units, both positive).
    public var openBuys: Double
    public var openSells: Double
    /// Profit since 00:00 UTC (quote units; negative: a loss).
    public var dayPnL: Double
    /// Orders accepted in the last 60 s of engine time.
    public var ordersLastMinute: Int

    public init(position: Double = 0, openBuys: Double = 0, openSells: Double = 0, dayPnL: Double = 0, ordersLastMinute: Int = 0) {
        self.position = position
        self.openBuys = openBuys
        self.openSells = openSells
        self.dayPnL = dayPnL
        self.ordersLastMinute = ordersLastMinute
    }

    /// Whether `request` only shrinks the position toward zero (never past it).
    public func reduces(_ request: OrderRequest) -> Bool {
        switch request.side {
        case .buy: return position < 0 && request.quantity <= -position
        case .sell: return position > 0 && request.quantity <= position
        }
    }
}

extension RiskLimits {
    /// The first rule of these limits that `request` breaks, nil when it passes. Checked in
    /// order: daily loss (reduce-only), quantity, notional, position, orders per minute. An order
    /// that only reduces the position passes the position and daily-loss rules.
    /// - Parameter price: the last market price, for a market order's notional (nil: unknown, so
    ///   a notional limit refuses it).
    public func check(_ request: OrderRequest, exposure: RiskExposure, price: Double?, scope: RiskScope) -> RiskRefusal? {
        let reduces = exposure.reduces(request)
        if let limit = maxDailyLoss, exposure.dayPnL <= -limit, !reduces {
            return RiskRefusal(
                rule: .maxDailyLoss, scope: scope, "today's loss \(Self.shown(-exposure.dayPnL)) reached \(Self.shown(limit)): reduce-only until 00:00 UTC")
        }
        if let limit = maxOrderQuantity, request.quantity > limit {
            return RiskRefusal(rule: .maxOrderQuantity, scope: scope, "\(Self.shown(request.quantity)) > \(Self.shown(limit))")
        }
        if let limit = maxOrderNotional {
            guard let unit = request.price ?? price, unit.isFinite else {
                return RiskRefusal(rule: .maxOrderNotional, scope: scope, "no price yet to value the order at")
            }
            let notional = request.quantity * abs(unit)
            if notional > limit {
                return RiskRefusal(rule: .maxOrderNotional, scope: scope, "\(Self.shown(notional)) > \(Self.shown(limit))")
            }
        }
        if let limit = maxPosition, !reduces {
            let after =
                request.side == .buy
                ? exposure.position + exposure.openBuys + request.quantity : exposure.position - exposure.openSells - request.quantity
            if abs(after) > limit {
                return RiskRefusal(rule: .maxPosition, scope: scope, "|\(Self.shown(after))| > \(Self.shown(limit))")
            }
        }
        if let limit = maxOrdersPerMinute, exposure.ordersLastMinute >= limit {
            return RiskRefusal(rule: .maxOrdersPerMinute, scope: scope, "\(exposure.ordersLastMinute) orders in the last minute, at most \(limit)")
        }
        return nil
    }

    static func shown(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
