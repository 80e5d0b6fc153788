import StrataEngine
import StrataRuntime

/// What the HTTP server needs from the engine: the thread-safe store, the live events, the
/// strategy catalog, a render on the engine's own thread, and the cluster it belongs to. ``EngineLoop`` is the real one;
/// the protocol keeps the server's dependency on the engine this narrow.
public protocol EngineGateway: Sendable {
    /// The desired state, observed state and history (thread-safe).
    var store: InstanceStore { get }
    /// Status changes, orders, signals and log lines as they happen.
    var events: EventHub { get }
    /// The strategy types as of the engine's last reconcile.
    var catalog: StrategyCatalog { get }
    /// The engine's failure counters and standing problems (for `/metrics`).
    var health: EngineHealth { get }
    /// Calls `render()` of a running instance now.
    /// - Returns: nil when the instance is not running; else the widgets or the render error,
    ///   with the script version that rendered.
    /// - Throws: when the engine itself is not running.
    func render(instanceID: String) async throws -> RenderResult?
    /// How long the engine has not ended a step, when it is stalled (nil: it is ticking).
    var stalledFor: Double? { get }
    /// The instance's shadow as the engine runs it, with its `render()` now (nil: the engine
    /// runs no shadow of it).
    func shadow(instanceID: String) async throws -> ShadowState?
    /// The strategies folder (a promotion writes the shadow's script there).
    var strategiesDirectory: String { get }
    /// This node's place in a cluster: who runs which instance, and where the other nodes
    /// answer (nil: one machine, every instance is this engine's).
    var cluster: ClusterMembership? { get }
    /// The statement of `account` from the engine's live paper broker, its positions marked at
    /// the last ticks; `instances` are the store's.
    /// - Throws: when the engine itself is not running.
    func accountStatement(_ account: AccountRecord, instances: [InstanceRecord]) async throws -> AccountStatement
}

/// A running (or failed) shadow and its widgets now.
public struct ShadowState: Sendable {
    public var view: ShadowView
    public var rendered: Result<JSONValue, StrategyError>?
}

/// One on-demand render: its output or its error, and the version of the script.
public struct RenderResult: Sendable {
    public var output: Result<JSONValue, StrategyError>
    public var version: String?

    public init(output: Result<JSONValue, StrategyError>, version: String?) {
        self.output = output
        self.version = version
    }
}

extension EngineLoop: EngineGateway {
    public nonisolated func accountStatement(_ account: AccountRecord, instances: [InstanceRecord]) async throws -> AccountStatement {
        try await perform { engine in engine.accountStatement(account, instances: instances) }
    }

    public nonisolated func shadow(instanceID: String) async throws -> ShadowState? {
        try await perform { engine in
            engine.shadowView(instanceID: instanceID).map { ShadowState(view: $0, rendered: engine.renderShadow(instanceID: instanceID)) }
        }
    }

    public nonisolated func render(instanceID: String) async throws -> RenderResult? {
        try await perform { engine in
            engine.render(instanceID: instanceID).map {
                RenderResult(output: $0, version: engine.runningVersion(instanceID))
            }
        }
    }
}
