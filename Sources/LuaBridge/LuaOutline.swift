/// A Lua value copied out for a person to read, never to run or restore it again: unlike
/// ``LuaState/value(at:limits:)`` the copy never fails on what it meets. It stops at its
/// ``Limits`` instead and says so with ``truncated``.
///
/// Tables become `array` (keys exactly `1...n`) or `table` (any other keys, written as text);
/// a table met a second time — a cycle or a table shared by two places — is the string
/// ``cycle``; what is left out is marked with ``cut``.
public struct LuaOutline: Sendable, Equatable {
    /// Bounds on the copy: what a hostile value can cost the host to show.
    public struct Limits: Sendable, Equatable {
        /// How deeply tables are followed; a table deeper than this is ``LuaOutline/cut``.
        public var maxDepth: Int
        /// How many table entries are copied in all; a table with more ends in a ``LuaOutline/cut``
        /// item (an array) or a `"…"` key (an object).
        public var maxEntries: Int
        /// The most bytes of one string (value or key) that are copied; a longer one ends in `…`.
        public var maxStringBytes: Int
        /// The most bytes of strings copied in all.
        public var maxTextBytes: Int

        public init(maxDepth: Int = 20, maxEntries: Int = 2_000, maxStringBytes: Int = 1_000, maxTextBytes: Int = 200_000) {
            self.maxDepth = maxDepth
            self.maxEntries = maxEntries
            self.maxStringBytes = maxStringBytes
            self.maxTextBytes = maxTextBytes
        }
    }

    /// Stands for a table met before (a cycle or a shared table).
    public static let cycle = "<cycle>"
    /// Stands for what the limits left out.
    public static let cut = "<truncated>"
    /// The key under which an object that was cut short carries ``cut``.
    public static let cutKey = "…"

    public var value: LuaValue
    /// Whether anything was left out or shortened.
    public var truncated: Bool

    public init(value: LuaValue, truncated: Bool) {
        self.value = value
        self.truncated = truncated
    }
}
