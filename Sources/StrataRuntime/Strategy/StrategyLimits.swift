/// The resource limits of one instance (DESIGN §5). Every limit is per call or per state.
public struct StrategyLimits: Sendable, Equatable {
    /// Deadline of running the chunk and of `init()` (and of `on_config`, `on_reload`).
    public var loadDeadline: Duration = .seconds(1)
    /// Deadline of one `on_tick` call.
    public var tickDeadline: Duration = .milliseconds(50)
    /// Deadline of one `render()` call.
    public var renderDeadline: Duration = .milliseconds(50)
    /// Memory cap of the instance's Lua state.
    public var memoryBytes: Int = 64 << 20
    /// Orders one call may place.
    public var ordersPerCall: Int = 100
    /// The largest script accepted.
    public var maxSourceBytes: Int = 1 << 20
    /// Items kept per array in render output (longer arrays keep their last items).
    public var renderArrayCap: Int = 5_000
    /// Lines kept in the instance's log.
    public var logCapacity: Int = 1_000
    /// The largest saved `state` (a snapshot); a larger one is refused with a clear error.
    public var maxSnapshotBytes: Int = 8 << 20

    public init() {}

    /// The defaults.
    public static let standard = StrategyLimits()

    /// A duration as a user reads it: "1 s", "50 ms".
    public static func describe(_ duration: Duration) -> String {
        let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return ms >= 1000 && ms.truncatingRemainder(dividingBy: 1000) == 0 ? "\(Int(ms / 1000)) s" : "\(Int(ms)) ms"
    }
}
