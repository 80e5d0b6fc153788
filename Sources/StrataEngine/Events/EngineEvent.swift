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
        }
    }
}
