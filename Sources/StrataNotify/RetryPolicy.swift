/// When to try a delivery again: up to ``maxAttempts`` in all, the n-th wait being
/// `baseDelay × 2^(n−1)`, capped at ``maxDelay``, times a random factor in [0.5, 1] (jitter, so
/// many webhooks failing together do not retry in step). Answers that retrying cannot fix
/// (a 4xx other than 408 and 429, a 3xx: redirects are not followed) end at once.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    /// Seconds before the second attempt (before jitter).
    public var baseDelay: Double
    /// The longest wait, in seconds.
    public var maxDelay: Double

    public init(maxAttempts: Int = 5, baseDelay: Double = 1, maxDelay: Double = 60) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay)
    }

    /// The seconds to wait after failed attempt `attempt` (1-based), with `jitter` in [0, 1]
    /// (0: the shortest wait, half the nominal one).
    public func delay(after attempt: Int, jitter: Double) -> Double {
        let nominal = min(maxDelay, baseDelay * Double(1 << min(30, max(0, attempt - 1))))
        return nominal * (0.5 + 0.5 * min(1, max(0, jitter)))
    }

    /// Whether an attempt that got `status` (nil: no answer — refused, timed out, reset) may be
    /// tried again.
    public static func isRetryable(status: Int?) -> Bool {
        guard let status else { return true }
        return status >= 500 || status == 408 || status == 429
    }
}
