/// The rate limit of `context.notify`: at most ``perWindow`` notifications in any
/// ``windowSeconds`` of engine time, per instance. Engine time (the tick's), not the wall clock,
/// so a backtest or a replay answers exactly as the live instance did.
public struct NotifyRateLimit: Sendable, Equatable {
    /// Notifications allowed per window.
    public static let perWindow = 10
    /// The window, in seconds.
    public static let windowSeconds = 60.0
    /// The longest text posted (bytes); longer text is cut and ends with "…".
    public static let maxTextBytes = 1_000

    /// The engine times of the accepted notifications still inside the window, oldest first.
    private(set) var accepted: [Double] = []

    public init() {}

    /// Takes one notification at engine time `now` if the window has room.
    /// - Returns: nil when taken, else the seconds until one is allowed again.
    public mutating func take(at now: Double) -> Double? {
        // A clock that went back keeps the newer entries, which only makes the limit stricter.
        accepted.removeAll { now - $0 >= Self.windowSeconds }
        guard accepted.count < Self.perWindow else {
            return max(0, Self.windowSeconds - (now - (accepted.min() ?? now)))
        }
        accepted.append(now)
        return nil
    }

    /// `text` cut to at most `maxBytes` bytes of UTF-8 on a character boundary, ending with "…"
    /// when cut.
    public static func cut(_ text: String, maxBytes: Int = maxTextBytes) -> String {
        guard text.utf8.count > maxBytes else { return text }
        let room = maxBytes - "…".utf8.count
        var kept = String.UnicodeScalarView()
        var used = 0
        for scalar in text.unicodeScalars {
            let size = String(scalar).utf8.count
            if used + size > room { break }
            kept.append(scalar)
            used += size
        }
        return String(kept) + "…"
    }
}
