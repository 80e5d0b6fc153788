import Foundation
import LuaBridge

/// A strategy's source, as saved in `strategies-lua/NAME.lua`.
///
/// The first instance that loads a script parses it, in its own sandboxed state and under its
/// memory cap; the compiled form is kept with the script value (and its copies), so every later
/// instance of the same version loads it without parsing again. Changing `source` or `chunkName`
/// starts over with a new compilation (and `source` a new `version`).
public struct StrategyScript: Sendable, Equatable {
    /// The strategy type, from the file name.
    public var name: String
    public var source: String {
        didSet {
            version = ContentHash.hex(of: source)
            compiled = CompiledScript()
        }
    }
    /// Content hash: identifies the version an instance runs.
    public var version: String
    /// What Lua calls the chunk in messages and tracebacks.
    public var chunkName: String {
        didSet { compiled = CompiledScript() }
    }
    /// The compiled form of `source`, filled by the first load.
    private(set) var compiled = CompiledScript()

    public init(name: String, source: String, chunkName: String? = nil) {
        self.name = name
        self.source = source
        self.version = ContentHash.hex(of: source)
        self.chunkName = chunkName ?? "=\(name).lua"
    }

    public static func == (a: StrategyScript, b: StrategyScript) -> Bool {
        a.name == b.name && a.source == b.source && a.version == b.version && a.chunkName == b.chunkName
    }
}

/// The compiled form of one script version, shared by the copies of a `StrategyScript` and
/// filled at most once. Safe across threads: the chunk is immutable and set under a lock.
final class CompiledScript: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: LuaCompiledChunk?

    /// The compiled chunk, if a load made it already.
    var chunk: LuaCompiledChunk? {
        lock.withLock { stored }
    }

    /// Keeps `chunk` unless one was kept already (two first loads may race; both are the same).
    func keep(_ chunk: LuaCompiledChunk) {
        lock.withLock { if stored == nil { stored = chunk } }
    }
}

/// A stable content hash (64-bit FNV-1a, hex), enough to tell versions of one script apart.
public enum ContentHash {
    /// The hash of `text` as 16 hex digits.
    public static func hex(of text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
