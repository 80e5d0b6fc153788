import Foundation

/// A second bound on `notify` events, in the notifier: at most ``perWindow`` per instance in any
/// ``windowSeconds`` of wall-clock time. Scripts are already limited where they call
/// `context.notify` (10 a minute of engine time, see `NotifyRateLimit`); this holds when engine
/// time runs fast (a replay feed at high speed) or a worker process was subverted and sends log
/// lines of its own. A value type with no I/O.
struct NotifyGuard: Sendable {
    static let perWindow = 20
    static let windowSeconds = 60.0
    /// The most instances tracked; past it the oldest window is forgotten first.
    static let maxInstances = 100_000

    private var sent: [String: [Double]] = [:]
    /// `notify` events refused so far.
    private(set) var refused = 0

    /// Whether a `notify` of `instance` at `now` (seconds) may go out; counts it when it may.
    mutating func admit(_ instance: String, at now: Double) -> Bool {
        var times = sent[instance] ?? []
        times.removeAll { now - $0 >= Self.windowSeconds || $0 > now + Self.windowSeconds }
        guard times.count < Self.perWindow else {
            sent[instance] = times
            refused += 1
            return false
        }
        times.append(now)
        if sent[instance] == nil, sent.count >= Self.maxInstances {
            // Forget instances whose window has passed; if none has, start over (rather than grow).
            sent = sent.filter { _, list in list.contains { now - $0 < Self.windowSeconds } }
            if sent.count >= Self.maxInstances { sent.removeAll() }
        }
        sent[instance] = times
        return true
    }
}
