import Foundation
import LuaBridge

/// A strategy's source, as saved in `strategies-lua/NAME.lua`.
///
/// The first instance that loads a script parses it, in its own sandboxed state and under its
/// memory cap; the compiled form is kept with the script value (and its copies), so every later
/// instance of the same version loads it without parsing again. Changing `source` or `chunkName`
/// starts over with a new compilation (and `source` a new `version`).
///
/// `modules` are the shared modules (`lib/NAME.lua`) that `require` may load, by module name:
/// a version carries the sources of the modules it loaded, so that its `version` covers them and
/// a worker process gets them with the script (it never reads the folder).
public struct StrategyScript: Sendable, Equatable {
    /// The strategy type, from the file name.
    public var name: String
    public var source: String {
        didSet {
            version = Self.hash(source, modules)
            compiled = CompiledScript()
        }
    }
    /// The modules `require` finds, by module name (`signals.trend` for `lib/signals/trend.lua`).
    public var modules: [String: String] {
        didSet { version = Self.hash(source, modules) }
    }
    /// How `require`'s messages name the modules folder (not part of the version).
    public var moduleFolder = "lib"
    /// Content hash of the source and the modules: identifies the version an instance runs.
    public var version: String
    /// What Lua calls the chunk in messages and tracebacks.
    public var chunkName: String {
        didSet { compiled = CompiledScript() }
    }
    /// The compiled form of `source`, filled by the first load.
    private(set) var compiled = CompiledScript()

    public init(name: String, source: String, chunkName: String? = nil, modules: [String: String] = [:], moduleFolder: String = "lib") {
        self.name = name
        self.moduleFolder = moduleFolder
        self.source = source
        self.modules = modules
        self.version = Self.hash(source, modules)
        self.chunkName = chunkName ?? "=\(name).lua"
    }

    /// This script with only the modules named in `names` (those a load required).
    public func keepingModules(_ names: some Sequence<String>) -> StrategyScript {
        var copy = self
        let kept = Set(names)
        copy.modules = modules.filter { kept.contains($0.key) }
        return copy
    }

    /// The source's hash alone when no module is used (versions made before modules existed
    /// keep their hash), else the hash of the source and each module's name and source.
    static func hash(_ source: String, _ modules: [String: String]) -> String {
        guard !modules.isEmpty else { return ContentHash.hex(of: source) }
        var text = source
        for (name, module) in modules.sorted(by: { $0.key < $1.key }) {
            text += "\u{0}\(name)\u{0}\(module.utf8.count)\u{0}\(module)"
        }
        return ContentHash.hex(of: text)
    }

    public static func == (a: StrategyScript, b: StrategyScript) -> Bool {
        a.name == b.name && a.source == b.source && a.version == b.version && a.chunkName == b.chunkName && a.modules == b.modules
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
