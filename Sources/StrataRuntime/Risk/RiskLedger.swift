/// The risk gate's memory per scope key (an instance id, or an account and market): the times
/// of the orders it accepted in the last minute and each day's starting profit, both in engine
/// time, so a backtest or a replay counts exactly as the live engine did.
public struct RiskLedger: Sendable {
    /// Accepted order times per key, oldest first, none older than ``window``.
    private var accepted: [String: [Double]] = [:]
    /// Per key: the UTC day (days since 1970) and the profit when that day was first seen.
    private var dayMarks: [String: (day: Int, pnl: Double)] = [:]

    /// The span `max_orders_per_minute` counts over (seconds).
    public static let window = 60.0

    public init() {}

    /// How many orders of `key` were accepted in the minute up to `time`.
    public mutating func ordersLastMinute(_ key: String, at time: Double) -> Int {
        guard var times = accepted[key] else { return 0 }
        let stale = times.prefix { $0 <= time - Self.window }.count
        if stale > 0 {
            times.removeFirst(stale)
            accepted[key] = times.isEmpty ? nil : times
        }
        return times.count
    }

    /// Notes an order of `key` accepted at `time`.
    public mutating func recordAccepted(_ key: String, at time: Double) {
        accepted[key, default: []].append(time)
    }

    /// The profit of `key` since 00:00 UTC of `time`'s day, given its profit `pnl` now: the first
    /// call of a day marks its start (so the day begins at 0).
    public mutating func dayPnL(_ key: String, pnl: Double, at time: Double) -> Double {
        let day = Self.day(of: time)
        if let mark = dayMarks[key], mark.day == day { return pnl - mark.pnl }
        dayMarks[key] = (day, pnl)
        return 0
    }

    /// The start of `key`'s day as marked (day, profit), to keep across a restart.
    public func dayMark(_ key: String) -> (day: Int, pnl: Double)? { dayMarks[key] }

    /// Restores a day mark saved before a restart.
    public mutating func restoreDayMark(_ key: String, day: Int, pnl: Double) {
        dayMarks[key] = (day, pnl)
    }

    /// Forgets the day marks of `keys`: their next ``dayPnL(_:pnl:at:)`` starts the day anew.
    public mutating func forgetDayMarks(_ keys: Set<String>) {
        for key in keys { dayMarks[key] = nil }
    }

    /// The UTC day (days since 1970-01-01) of an engine time in seconds.
    public static func day(of time: Double) -> Int {
        Int((time / 86_400).rounded(.down))
    }
}
