import LuaBridge

/// What a saved `state` holds, as JSON for a person to read (why an instance did what it did).
///
/// The bytes are decoded in a fresh sandboxed Lua state of their own under a memory cap, and
/// shown through a bounded ``LuaOutline``: bytes that are corrupt, too large for the cap or
/// nested too deeply end as an ``error``, never as a crash, and a state too big to show is cut
/// short and marked ``truncated``.
public struct SnapshotContents: Sendable, Equatable {
    /// What decoding may cost.
    public struct Limits: Sendable, Equatable {
        /// Snapshots larger than this are not decoded at all.
        public var maxBytes: Int
        /// The memory cap of the decoding state.
        public var memoryBytes: Int
        /// How much of the decoded value is shown.
        public var outline: LuaOutline.Limits

        public init(maxBytes: Int = 16 << 20, memoryBytes: Int = 64 << 20, outline: LuaOutline.Limits = LuaOutline.Limits()) {
            self.maxBytes = maxBytes
            self.memoryBytes = memoryBytes
            self.outline = outline
        }
    }

    /// The saved value (tables with keys `1...n` as arrays, other tables as objects); nil when
    /// it could not be decoded.
    public var state: JSONValue?
    /// Whether the limits left part of the state out.
    public var truncated: Bool
    /// Why the state could not be decoded.
    public var error: String?

    public init(state: JSONValue?, truncated: Bool = false, error: String? = nil) {
        self.state = state
        self.truncated = truncated
        self.error = error
    }

    /// Decodes `bytes` (snapshot format STS1).
    public static func decode(_ bytes: [UInt8], limits: Limits = Limits()) -> SnapshotContents {
        guard bytes.count <= limits.maxBytes else {
            return SnapshotContents(state: nil, error: "the snapshot is \(bytes.count) bytes, more than the \(limits.maxBytes) shown")
        }
        do {
            let lua = try LuaState(memoryLimit: limits.memoryBytes)
            try lua.pushSnapshot(bytes)  // stack: [value]
            let outline = lua.outline(at: -1, limits: limits.outline)
            lua.pop()  // stack: []
            return SnapshotContents(state: JSONValue(outline.value), truncated: outline.truncated)
        } catch  where error.kind == .memoryLimit {
            return SnapshotContents(state: nil, error: "decoding the snapshot needs more than \(limits.memoryBytes) bytes of memory")
        } catch {
            return SnapshotContents(state: nil, error: error.message)
        }
    }
}
