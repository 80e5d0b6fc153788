import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal, with an estimate of
/// the time left once a little work is done.
final class ProgressBar {
    private let total: Int
    private let enabled: Bool
    private let unit: String
    private let start = ContinuousClock.now
    private var lastPercent = -1
    private var lastDraw = ContinuousClock.now

    init(total: Int, enabled: Bool, unit: String = "bars") {
        self.total = max(total, 1)
        self.unit = unit
        self.enabled = enabled && isatty(STDERR_FILENO) != 0
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let percent = done * 100 / total
        let now = ContinuousClock.now
        // Redrawn when the percentage moves, or each second for the estimate.
        guard percent != lastPercent || now - lastDraw >= .seconds(1) else { return }
        lastPercent = percent
        lastDraw = now
        let filled = percent * 30 / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 30 - filled)
        let eta = Self.eta(elapsed: now - start, done: done, total: total).map { " ETA \($0)" } ?? ""
        FileHandle.standardError.write(Data("\r\(bar) \(percent)% (\(done)/\(total) \(unit))\(eta)\u{1B}[K".utf8))
    }

    func finish() {
        guard enabled, lastPercent >= 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// The time left at the pace so far, as "42s", "3m05s" or "1h02m"; nil before any work is
    /// done or in the first half second (too little to go by).
    static func eta(elapsed: Duration, done: Int, total: Int) -> String? {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard done > 0, done < total, seconds >= 0.5 else { return nil }
        let left = Int((seconds / Double(done) * Double(total - done)).rounded())
        if left < 60 { return "\(left)s" }
        if left < 3600 { return String(format: "%dm%02ds", left / 60, left % 60) }
        return String(format: "%dh%02dm", left / 3600, left % 3600 / 60)
    }
}
