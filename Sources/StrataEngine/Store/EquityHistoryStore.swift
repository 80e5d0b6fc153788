/// Equity and PnL history: points per instance and per account at a few tiers of resolution
/// (see ``EquityHistoryPolicy``), and one summary per instance or account that the instance
/// list reads without touching the points.
///
/// Points are keyed by (scope, name, tier, t): appending a point that is stored already changes
/// nothing, so a retried write cannot duplicate one. The history is the engine's own record,
/// not desired state: no write moves the change token.
public protocol EquityHistoryStore: Sendable {
    /// Appends points and updates the summaries of the scopes/names they belong to, in one
    /// transaction. A summary follows the points in time order: a point not after its
    /// summary's last time (another tier's copy, a replay) leaves it as it is.
    /// - Throws: `invalidArgument` for an empty name, a tier below 1 or a value that is not
    ///   finite (naming the point); nothing is written then.
    func appendEquityPoints(_ points: [EquityPoint]) throws

    /// The points of one scope/name with `from ≤ t ≤ to`, oldest first, tiers merged: the
    /// finest tier where it has points, a coarser tier only before the first point of every
    /// finer one (which pruning moves forward).
    /// - Throws: `invalidArgument` when `from` or `to` is NaN.
    func equityPoints(scope: EquityScope, name: String, from: Double, to: Double) throws -> EquityRange

    /// Deletes each tier's points older than its retention before `now` (engine time).
    /// - Returns: how many points were deleted.
    @discardableResult
    func pruneEquityPoints(policy: EquityHistoryPolicy, now: Double) throws -> Int

    /// Every summary of `scope` (nil: both), by name.
    func equitySummaries(scope: EquityScope?) throws -> [EquitySummary]

    /// The newest point of each scope/name/tier (a restarted engine continues from them).
    func latestEquityPoints() throws -> [EquityPoint]
}

/// Whose equity a point is.
public enum EquityScope: String, Sendable, Hashable, CaseIterable, Codable {
    /// One instance: its account's base cash plus its own PnL.
    case instance
    /// One account: its cash plus the value of its instances' positions.
    case account
}

/// One point of equity history.
public struct EquityPoint: Sendable, Equatable {
    public var scope: EquityScope
    /// The instance id or the account name.
    public var name: String
    /// The tier's interval in seconds (see ``EquityHistoryPolicy/Tier``).
    public var tier: Int
    /// Engine time (the tick's time, Unix seconds).
    public var t: Double
    public var equity: Double
    /// The instance's position; an account's gross exposure (Σ |position × price| over its instances).
    public var position: Double
    /// Realised PnL (an account's: the sum of its instances').
    public var realised: Double
    /// Fees paid.
    public var fees: Double
    /// The market's last price (nil for an account, or before the market's first tick).
    public var price: Double?

    public init(
        scope: EquityScope, name: String, tier: Int, t: Double, equity: Double, position: Double = 0, realised: Double = 0,
        fees: Double = 0, price: Double? = nil
    ) {
        self.scope = scope
        self.name = name
        self.tier = tier
        self.t = t
        self.equity = equity
        self.position = position
        self.realised = realised
        self.fees = fees
        self.price = price
    }

    /// The longest name stored (UTF-8 bytes): an index key of either database holds it.
    public static let maxNameBytes = 1_000

    /// Why the store refuses the point (nil: it is fine).
    public var problem: String? {
        if name.isEmpty { return "the name is empty" }
        if name.utf8.count > Self.maxNameBytes { return "the name is longer than \(Self.maxNameBytes) bytes" }
        if name.utf8.contains(0) { return "the name holds a NUL character" }
        if tier < 1 { return "tier \(tier) is below 1 second" }
        for (field, value) in [("t", t), ("equity", equity), ("position", position), ("realised", realised), ("fees", fees)]
        where !value.isFinite {
            return "\(field) is not finite (\(value))"
        }
        if let price, !price.isFinite { return "price is not finite (\(price))" }
        return nil
    }
}

/// What ``EquityHistoryStore/equityPoints(scope:name:from:to:)`` returns: the merged points and
/// the tiers they came from.
public struct EquityRange: Sendable, Equatable {
    /// Oldest first, at most one per time.
    public var points: [EquityPoint]
    /// The tiers (intervals in seconds) that gave points, finest first.
    public var tiers: [Int]

    public init(points: [EquityPoint], tiers: [Int]) {
        self.points = points
        self.tiers = tiers
    }
}

/// A scope/name's history in six numbers, kept up to date on each append.
public struct EquitySummary: Sendable, Equatable {
    public var scope: EquityScope
    public var name: String
    public var firstT: Double
    public var firstEquity: Double
    public var lastT: Double
    public var lastEquity: Double
    /// The highest equity recorded.
    public var peak: Double
    /// The deepest fall from a peak, in percent of that peak (0 with no fall).
    public var maxDrawdownPct: Double

    public init(
        scope: EquityScope, name: String, firstT: Double, firstEquity: Double, lastT: Double, lastEquity: Double, peak: Double,
        maxDrawdownPct: Double
    ) {
        self.scope = scope
        self.name = name
        self.firstT = firstT
        self.firstEquity = firstEquity
        self.lastT = lastT
        self.lastEquity = lastEquity
        self.peak = peak
        self.maxDrawdownPct = maxDrawdownPct
    }

    /// The change from the first to the last equity, in percent of the first; nil when the
    /// first is not positive (no meaningful base).
    public var returnPct: Double? {
        guard firstEquity > 0 else { return nil }
        let value = (lastEquity - firstEquity) / firstEquity * 100
        return value.isFinite ? value : nil
    }

    /// The drawdown, in percent, of `equity` below `peak` (0 when the peak is not positive).
    public static func drawdownPct(equity: Double, peak: Double) -> Double {
        guard peak > 0, equity < peak else { return 0 }
        return (peak - equity) / peak * 100
    }
}

extension EquityHistoryStore {
    /// Checks `points` before a write: the first refused one as `invalidArgument`.
    public static func validate(_ points: [EquityPoint]) throws {
        for point in points {
            if let problem = point.problem {
                throw StoreError(
                    .invalidArgument, "equity point \(point.scope.rawValue) '\(point.name.prefix(80))' at t=\(point.t): \(problem)",
                    operation: "appendEquityPoints")
            }
        }
    }

    /// The points grouped by scope/name, each group in time order with one point per time:
    /// the rounds in which summaries are updated (round k holds every name's k-th time).
    public static func summaryRounds(_ points: [EquityPoint]) -> [[EquityPoint]] {
        var byName: [String: [EquityPoint]] = [:]
        var order: [String] = []
        for point in points {
            let key = point.scope.rawValue + "\u{0}" + point.name
            if byName[key] == nil { order.append(key) }
            byName[key, default: []].append(point)
        }
        var rounds: [[EquityPoint]] = []
        for key in order {
            var seen = Set<Double>()
            let series = byName[key, default: []].sorted { $0.t < $1.t }.filter { seen.insert($0.t).inserted }
            for (index, point) in series.enumerated() {
                if rounds.count <= index { rounds.append([]) }
                rounds[index].append(point)
            }
        }
        return rounds
    }
}
