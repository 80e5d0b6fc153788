/// Bounds on reading a Lua value into Swift, so a hostile table cannot exhaust the host.
public struct LuaReadLimits: Sendable {
    /// How deeply tables may nest.
    public var maxDepth: Int
    /// How many values (table entries counted one by one) may be read in all.
    public var maxValues: Int
    /// How many bytes of strings may be read in all.
    public var maxStringBytes: Int

    public init(maxDepth: Int = 32, maxValues: Int = 200_000, maxStringBytes: Int = 8 << 20) {
        self.maxDepth = maxDepth
        self.maxValues = maxValues
        self.maxStringBytes = maxStringBytes
    }

    /// The defaults: deep and large enough for any sane strategy output.
    public static let `default` = LuaReadLimits()
}
