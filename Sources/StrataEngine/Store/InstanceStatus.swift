import Foundation

/// The observed state of one instance, written by the engine and kept apart from the desired
/// state (``InstanceRecord``), like a controller's status beside its spec.
public struct InstanceStatus: Sendable, Equatable, Codable {
    /// Where the instance's runtime is in its life.
    public enum State: String, Sendable, Codable, CaseIterable {
        case loading
        case running
        case stopped
        case error
    }

    /// The last failure of the instance's script or runtime.
    public struct Failure: Sendable, Equatable, Codable {
        /// The error message, as shown to the operator.
        public var message: String
        /// A short class of error (`runtime`, `timeout`, `memory`, `load`, `invalid_config`, …).
        public var kind: String
        /// The Lua traceback, when there is one.
        public var traceback: String?

        public init(message: String, kind: String, traceback: String? = nil) {
            self.message = message
            self.kind = kind
            self.traceback = traceback
        }
    }

    public var instanceID: String
    public var state: State
    public var lastError: Failure?
    /// The content hash of the script version the instance runs (see ``StrategyVersion``).
    public var version: String?
    /// Ticks processed since the instance was loaded.
    public var ticks: Int64
    /// Engine time of the last tick processed.
    public var lastTickAt: Date?
    /// Memory held by the instance's Lua state.
    public var memoryBytes: Int64
    /// CPU time spent in the instance's script.
    public var cpuSeconds: Double
    /// Realised plus unrealised PnL of the instance's position (quote currency).
    public var pnl: Double
    /// The instance's position (base units; negative when short).
    public var position: Double
    /// Median and 99th percentile of the time one `on_tick` call takes (seconds), over the
    /// instance's recent ticks; nil before it has ticked.
    public var tickLatencyP50: Double?
    public var tickLatencyP99: Double?
    /// When the engine last wrote this status.
    public var updatedAt: Date

    public init(
        instanceID: String, state: State, lastError: Failure? = nil, version: String? = nil,
        ticks: Int64 = 0, lastTickAt: Date? = nil, memoryBytes: Int64 = 0, cpuSeconds: Double = 0,
        pnl: Double = 0, position: Double = 0, tickLatencyP50: Double? = nil, tickLatencyP99: Double? = nil,
        updatedAt: Date = Date()
    ) {
        self.instanceID = instanceID
        self.state = state
        self.lastError = lastError
        self.version = version
        self.ticks = ticks
        self.lastTickAt = lastTickAt
        self.memoryBytes = memoryBytes
        self.cpuSeconds = cpuSeconds
        self.pnl = pnl
        self.position = position
        self.tickLatencyP50 = tickLatencyP50
        self.tickLatencyP99 = tickLatencyP99
        self.updatedAt = updatedAt
    }
}
