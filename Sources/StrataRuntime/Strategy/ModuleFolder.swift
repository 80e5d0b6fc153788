import Foundation

/// The shared modules folder, `lib/` beside the strategies: where `require "name"` finds
/// `name.lua` (`require "signals.trend"` finds `lib/signals/trend.lua`).
///
/// Only the host reads it, and only files whose every path part is a module name
/// (`[A-Za-z0-9_]`); symbolic links are skipped, so nothing outside the folder is ever read.
/// The sources go to scripts (and to worker processes) as ``StrategyScript/modules``.
public struct ModuleFolder: Sendable {
    /// One module file as the last scan saw it.
    public struct Entry: Equatable, Sendable {
        public var url: URL
        public var size: Int
        public var modified: Date
    }

    /// The folder.
    public let directory: URL
    /// How messages name it (`strategies-lua/lib`).
    public let displayName: String

    /// The most module files a scan lists, and the deepest subfolder it enters.
    public static let maxFiles = 1000
    public static let maxDepth = 8

    public init(directory: URL, displayName: String? = nil) {
        self.directory = directory
        self.displayName = displayName ?? directory.path
    }

    /// The `lib/` folder beside the strategies folder `strategies` (or beside a strategy file).
    public static func beside(strategies: URL) -> ModuleFolder {
        ModuleFolder(directory: strategies.appendingPathComponent("lib"), displayName: strategies.lastPathComponent + "/lib")
    }

    /// Whether `name` may name a module (one path part): letters, digits and `_`.
    static func isModuleWord(_ name: Substring) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 }
    }

    /// Every module file, by module name (an absent folder has none).
    public func scan() -> [String: Entry] {
        var found: [String: Entry] = [:]
        var pending: [(URL, String, Int)] = [(directory, "", 0)]
        let keys: [URLResourceKey] = [.isSymbolicLinkKey, .isDirectoryKey, .fileSizeKey, .contentModificationDateKey]
        while let (folder, prefix, depth) = pending.popLast() {
            guard let items = try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: keys) else { continue }
            for item in items.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) where found.count < Self.maxFiles {
                guard let values = try? item.resourceValues(forKeys: Set(keys)), values.isSymbolicLink != true else { continue }
                let file = item.lastPathComponent
                if values.isDirectory == true {
                    if depth + 1 < Self.maxDepth, Self.isModuleWord(file[...]) { pending.append((item, prefix + file + ".", depth + 1)) }
                    continue
                }
                guard file.hasSuffix(".lua") else { continue }
                let stem = file.dropLast(4)
                guard Self.isModuleWord(stem) else { continue }
                found[prefix + stem] = Entry(url: item, size: values.fileSize ?? -1, modified: values.contentModificationDate ?? .distantPast)
            }
        }
        return found
    }

    /// The text of a module file, at most `maxBytes + 1` bytes of it (so a larger file is read
    /// far enough to be refused, never whole); nil when it cannot be read.
    public static func read(_ entry: Entry, maxBytes: Int) -> String? {
        guard let handle = try? FileHandle(forReadingFrom: entry.url) else { return nil }
        defer { try? handle.close() }
        do {
            return String(decoding: try handle.read(upToCount: maxBytes + 1) ?? Data(), as: UTF8.self)
        } catch {
            return nil
        }
    }

    /// Every module's source (for `strata check` and `strata backtest` on a file).
    public func sources(maxBytes: Int) -> [String: String] {
        scan().compactMapValues { Self.read($0, maxBytes: maxBytes) }
    }
}

extension StrategyScript {
    /// A strategy file's script, offered every module of the `lib/` folder beside the file
    /// (`strata check`, `strata backtest` and the CLI's other commands that take a file).
    public static func file(_ url: URL, name: String? = nil, source: String, limits: StrategyLimits = .standard) -> StrategyScript {
        let folder = ModuleFolder.beside(strategies: url.deletingLastPathComponent())
        return StrategyScript(
            name: name ?? url.deletingPathExtension().lastPathComponent, source: source, chunkName: "@\(url.lastPathComponent)",
            modules: folder.sources(maxBytes: limits.maxSourceBytes), moduleFolder: folder.displayName)
    }
}

/// Modules offered to a script whose version is rebuilt from a stored source: their sources by
/// name, and how messages name their folder.
public struct ModuleOffer: Sendable {
    public var sources: [String: String]
    public var folder: String

    public init(sources: [String: String] = [:], folder: String = "lib") {
        self.sources = sources
        self.folder = folder
    }
}
