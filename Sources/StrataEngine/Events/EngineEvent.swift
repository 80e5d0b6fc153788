import Foundation
import StrataRuntime

/// Something the engine did that a live view wants to see at once: an instance's status
/// changed, an order was placed or changed state, a signal was recorded, a line was logged.
public struct EngineEvent: Sendable {
    /// The event types, as named in the HTTP event stream.
    public enum Kind: String, Sendable, CaseIterable {
        case status
        case order
        case signal
        case log
        /// A research run (backtest, optimization) moved: its status and progress.
        case research
        /// The kill switch moved (a halt or a resume), as an engine applied it.
        case control
        /// An instance's desired mode changed (from any process: the CLI, the API, a SQL shell).
        case mode
    }

    /// What the event carries.
    public enum Payload: Sendable {
        case status(InstanceStatus)
        case order(Order)
        case signal(SignalRecord)
        case log(InstanceLogEntry)
        /// A research run's state (`kind`, `id`, `status`, `progress`, …), as the API shows it.
        case research(JSONValue)
        /// A halt or resume the engine applied: `action` (`halt`, `resume`), `account` (null:
        /// every account), `state` (`trading`, `reduce_only`, `halted`), `cancelled_orders`.
        case control(JSONValue)
        case mode(ModeChange)
    }

    public var instanceID: String
    /// When the engine published it.
    public var at: Date
    public var payload: Payload

    public init(instanceID: String, at: Date = Date(), payload: Payload) {
        self.instanceID = instanceID
        self.at = at
        self.payload = payload
    }

    public var kind: Kind {
        switch payload {
        case .status: .status
        case .order: .order
        case .signal: .signal
        case .log: .log
        case .research: .research
        case .control: .control
        case .mode: .mode
        }
    }
}

/// An instance's mode went from `old` to `new`, as the engine saw the desired state change.
public struct ModeChange: Sendable, Equatable {
    public var instanceID: String
    public var old: InstanceMode
    public var new: InstanceMode

    public init(instanceID: String, old: InstanceMode, new: InstanceMode) {
        self.instanceID = instanceID
        self.old = old
        self.new = new
    }
}
