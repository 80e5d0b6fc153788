/// Delays between connection attempts: exponential from `initial`, capped at `cap`, with
/// "equal jitter" (half the delay fixed, half random) so many clients cut off at once do not
/// come back at once. A connection that delivered data resets it.
struct ReconnectBackoff {
    let initial: Double
    let cap: Double
    /// Failed attempts since the last reset.
    private(set) var failures = 0

    init(initial: Double, cap: Double) {
        self.initial = max(initial, 0.001)
        self.cap = max(cap, self.initial)
    }

    /// The delay before the next attempt, in seconds; counts one more failure.
    /// - Parameter unit: a random number in 0..<1 (injected so tests can pin it).
    mutating func nextDelay(unit: Double = Double.random(in: 0..<1)) -> Double {
        let exponent = Double(min(failures, 40))
        failures += 1
        let base = min(cap, initial * pow2(exponent))
        return base / 2 + base / 2 * min(max(unit, 0), 1)
    }

    /// After a connection that worked: the next failure waits `initial` again.
    mutating func reset() {
        failures = 0
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}
