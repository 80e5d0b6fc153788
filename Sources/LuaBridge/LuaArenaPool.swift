import CStrataLua

/// The process-wide pool of memory chunks behind every state's arena: chunks of closed states
/// wait there for new states; above a watermark their pages go back to the system, so a
/// long-running engine that loads and unloads instances does not keep its peak forever.
public enum LuaArenaPool {
    /// The pool's figures, in bytes.
    public struct Stats: Sendable, Equatable {
        /// Chunks of closed states, resident, waiting for new states.
        public var pooled: Int
        /// Chunks whose pages were given back to the system (still mapped; reused first).
        public var released: Int
        /// Every slab mapped so far.
        public var slabs: Int
        /// The most pooled bytes kept resident.
        public var watermark: Int
    }

    /// The figures now.
    public static var stats: Stats {
        let stats = strata_arena_getstats()
        return Stats(
            pooled: Int(stats.pooled_bytes), released: Int(stats.released_bytes), slabs: Int(stats.slab_bytes),
            watermark: Int(stats.watermark_bytes))
    }

    /// Sets the watermark and gives back at once what is above it.
    public static func setWatermark(bytes: Int) {
        strata_arena_set_watermark(max(0, bytes))
    }
}
