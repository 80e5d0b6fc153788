import Foundation
import StrataEngine
import StrataRuntime
import Synchronization

/// What a research run's work sees of its run: where to report how far it got, and whether it
/// was cancelled (asked between steps; a cancelled run ends `cancelled` with what it had).
public struct ResearchProgress: Sendable {
    let id: String
    let flag: CancelFlag
    let onReport: @Sendable (Double, JSONValue?) -> Void

    /// Says `fraction` (0…1) of the work is done; `extra` goes with the event (an optimization's
    /// trial, say). Events are throttled (at most 10 a second per run), the record saved now and then.
    public func report(fraction: Double, extra: JSONValue? = nil) {
        onReport(fraction.isFinite ? min(1, max(0, fraction)) : 0, extra)
    }

    /// Whether the run was cancelled: the work should stop and return what it has.
    public var isCancelled: Bool { flag.isSet }
}

/// What a research run's work found.
public struct ResearchOutcome: Sendable {
    /// The headline figures (a backtest's metrics, an optimization's best).
    public var summary: [String: JSONValue]
    /// The long part (trades and equity curve, trials).
    public var detail: JSONValue
    /// The full HTML report, if any.
    public var report: String?
    /// Set: the run failed with this text (a script error's message and traceback); what it
    /// found so far is kept.
    public var error: String?

    public init(summary: [String: JSONValue] = [:], detail: JSONValue = .null, report: String? = nil, error: String? = nil) {
        self.summary = summary
        self.detail = detail
        self.report = report
        self.error = error
    }
}

/// A run's cancel flag, set once.
final class CancelFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}
