/// An instance's `state` as the engine keeps it between runs: snapshot bytes (see
/// ``StrategyInstance/saveState()``) and the script version that saved them.
public struct SavedState: Sendable, Equatable {
    public var bytes: [UInt8]
    /// The content hash of the version that saved it: restoring into another version goes
    /// through `on_reload(old_version)`, or `init()` when the script has none.
    public var version: String

    public init(bytes: [UInt8], version: String) {
        self.bytes = bytes
        self.version = version
    }
}
