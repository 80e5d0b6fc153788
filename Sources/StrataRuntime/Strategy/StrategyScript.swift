/// A strategy's source, as saved in `strategies-lua/NAME.lua`.
public struct StrategyScript: Sendable, Equatable {
    /// The strategy type, from the file name.
    public var name: String
    public var source: String
    /// Content hash: identifies the version an instance runs.
    public var version: String
    /// What Lua calls the chunk in messages and tracebacks.
    public var chunkName: String

    public init(name: String, source: String, chunkName: String? = nil) {
        self.name = name
        self.source = source
        self.version = ContentHash.hex(of: source)
        self.chunkName = chunkName ?? "=\(name).lua"
    }
}

/// A stable content hash (64-bit FNV-1a, hex), enough to tell versions of one script apart.
enum ContentHash {
    static func hex(of text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
