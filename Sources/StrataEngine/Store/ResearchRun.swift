import Foundation
import StrataRuntime

/// One research run kept by the server: a backtest of an instance's strategy, or (later) an
/// optimization of its config. The same record holds both: what was asked (`parameters`), how
/// far it got (`status`, `progress`), and what it found (`summary`, `detail`, `report`, `error`).
public struct ResearchRun: Sendable, Equatable {
    /// What kind of work a run is; its id starts with the kind's prefix (`bt-`, `opt-`).
    public enum Kind: String, Sendable, CaseIterable {
        case backtest
        case optimization

        /// The prefix of this kind's ids.
        public var idPrefix: String { self == .backtest ? "bt" : "opt" }
    }

    /// Where a run is: waiting for a slot, running, or finished one of three ways.
    public enum Status: String, Sendable, CaseIterable {
        case queued, running, done, failed, cancelled

        /// Whether the run has ended (done, failed or cancelled).
        public var isFinished: Bool { self == .done || self == .failed || self == .cancelled }
    }

    /// The most runs of one kind a store keeps; past it the oldest finished ones go.
    public static let keptPerKind = 200

    /// The message a run unfinished when a server starts ends with.
    public static let interruptedMessage = "the server stopped during the run"

    public var id: String
    public var kind: Kind
    /// The instance whose strategy ran (nil: a run not tied to an instance).
    public var instanceID: String?
    public var strategyType: String
    /// The content hash of the script version that ran.
    public var version: String
    /// The data file's name within the server's data folder.
    public var dataFile: String
    /// The request's settings (cash, fees, fill, …) as a JSON object.
    public var parameters: [String: JSONValue]
    public var status: Status
    /// How much of the work is done, 0…1.
    public var progress: Double
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The headline figures (a backtest's metrics, an optimization's best).
    public var summary: [String: JSONValue]
    /// The long part: a backtest's trades and equity curve, an optimization's trials. Lists
    /// leave it out (`.null`).
    public var detail: JSONValue
    /// The full HTML report, when there is one (lists give an empty one in its place: ``listed``).
    public var report: String?
    /// Why the run failed or what cancelled it (a script error's message and traceback).
    public var error: String?

    public init(
        id: String, kind: Kind, instanceID: String?, strategyType: String, version: String, dataFile: String,
        parameters: [String: JSONValue] = [:], status: Status = .queued, progress: Double = 0, createdAt: Date = Date(),
        startedAt: Date? = nil, finishedAt: Date? = nil, summary: [String: JSONValue] = [:], detail: JSONValue = .null,
        report: String? = nil, error: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.instanceID = instanceID
        self.strategyType = strategyType
        self.version = version
        self.dataFile = dataFile
        self.parameters = parameters
        self.status = status
        self.progress = progress
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.summary = summary
        self.detail = detail
        self.report = report
        self.error = error
    }

    /// A fresh id of `kind`: its prefix and 16 random hex digits (`bt-3f09c1a27be4d610`), URL-safe.
    public static func makeID(kind: Kind) -> String {
        let digits = (0..<2).map { _ in
            let text = String(UInt32.random(in: .min ... .max), radix: 16)
            return String(repeating: "0", count: 8 - text.count) + text
        }
        return "\(kind.idPrefix)-\(digits.joined())"
    }

    /// This run as lists show it: without `detail`, and with an empty `report` in place of one.
    public var listed: ResearchRun {
        var copy = self
        copy.detail = .null
        copy.report = report.map { _ in "" }
        return copy
    }
}
