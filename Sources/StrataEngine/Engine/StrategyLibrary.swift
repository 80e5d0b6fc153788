import Foundation
import StrataIsolation
import StrataRuntime

/// The strategies folder (`strategies-lua/`): the current good version of each strategy type,
/// and the error of a broken save. A save is compiled and checked in a scratch sandbox before
/// it becomes current, so a broken save never replaces a good version.
public final class StrategyLibrary {
    public let directory: URL
    /// The good version of each type, by type name.
    public private(set) var current: [String: StrategyScript] = [:]
    /// The error of the newest save of a type when that save is broken.
    public private(set) var problems: [String: StrategyError] = [:]
    /// The config schema of each type's good version.
    public private(set) var schemas: [String: ConfigSchema] = [:]
    /// Why the folder could not be read at the last scan (missing, not a folder, no
    /// permission), or nil. The versions already loaded keep running meanwhile.
    public private(set) var folderProblem: String?
    /// What each file looked like at the last scan, so unchanged files are not read again.
    private var fingerprints: [String: FileFingerprint] = [:]
    /// The source of each strategy file as last read.
    private var sources: [String: String] = [:]
    /// The shared modules folder (`lib/` beside the strategies) and what its last scan read.
    public let modules: ModuleFolder
    private var moduleEntries: [String: ModuleFolder.Entry] = [:]
    /// Every module's source as last read, by module name.
    public private(set) var moduleSources: [String: String] = [:]
    /// The modules each type's newest save required (up to the failure of a broken one).
    private var requiredModules: [String: Set<String>] = [:]
    private let limits: StrategyLimits
    /// The program a save is first loaded in, as a worker process (`--isolation process`), or
    /// nil to load saves only here.
    private let vettingWorker: String?

    struct FileFingerprint: Equatable {
        var size: Int
        var modified: Date
    }

    /// - Parameter vettingWorker: the strata program to load each save in first, as a confined
    ///   worker process (for third-party scripts: a file that crashes or wedges its loader costs
    ///   a worker, not the engine); nil loads saves only here.
    public init(directory: URL, limits: StrategyLimits = .standard, vettingWorker: String? = nil) {
        self.directory = directory
        self.limits = limits
        self.vettingWorker = vettingWorker
        self.modules = ModuleFolder.beside(strategies: directory)
    }

    /// Rescans the folder and its modules. A file whose size and time are unchanged is skipped;
    /// one whose content is unchanged (a touch) changes nothing. A type is checked again when
    /// its file or a module it required changed, or when its newest save is broken and any
    /// module changed (a missing module may have arrived).
    /// - Returns: the types whose good version changed.
    @discardableResult
    public func refresh() -> Set<String> {
        var changed: Set<String> = []
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.fileSizeKey, .contentModificationDateKey])
            folderProblem = nil
        } catch {
            folderProblem = "cannot read the strategies folder \(directory.path): \((error as NSError).localizedDescription)"
            return []
        }
        let changedModules = refreshModules()
        for file in files where file.pathExtension == "lua" {
            let type = file.deletingPathExtension().lastPathComponent
            let values = try? file.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey])
            let fingerprint = FileFingerprint(size: values?.fileSize ?? -1, modified: values?.contentModificationDate ?? .distantPast)
            var stale = false
            if fingerprints[type] != fingerprint, let data = FileManager.default.contents(atPath: file.path) {
                fingerprints[type] = fingerprint
                let source = String(decoding: data, as: UTF8.self)
                stale = source != sources[type]
                sources[type] = source
            }
            if !changedModules.isEmpty, !stale {
                stale = problems[type] != nil || !(requiredModules[type] ?? []).isDisjoint(with: changedModules)
            }
            guard stale, let source = sources[type] else { continue }
            if check(type: type, source: source) { changed.insert(type) }
        }
        return changed
    }

    /// Reads the module files that changed since the last scan.
    /// - Returns: the names of the modules added, changed or removed.
    private func refreshModules() -> Set<String> {
        let entries = modules.scan()
        var changed: Set<String> = []
        for (name, entry) in entries where moduleEntries[name] != entry {
            let source = ModuleFolder.read(entry, maxBytes: limits.maxSourceBytes)
            if source != moduleSources[name] { changed.insert(name) }
            moduleSources[name] = source
        }
        for name in moduleSources.keys where entries[name] == nil {
            moduleSources[name] = nil
            changed.insert(name)
        }
        moduleEntries = entries
        return changed
    }

    /// Checks a save of `type` with every module on offer; a good one becomes current with
    /// the modules it required.
    /// - Returns: whether the good version changed.
    private func check(type: String, source: String) -> Bool {
        let offered = StrategyScript(
            name: type, source: source, chunkName: "@\(type).lua", modules: moduleSources, moduleFolder: modules.displayName)
        let probe = InstanceIdentity(id: "check", strategyType: type, account: "paper", market: "CHECK/USD")
        if let vettingWorker, let error = IsolatedLoadCheck(script: offered, limits: limits, executable: vettingWorker).run() {
            problems[type] = error
            requiredModules[type] = Self.modulesNamed(in: error)
            return false
        }
        do {
            let (script, schema) = try StrategyInstance.prepare(offered, identity: probe, limits: limits)
            requiredModules[type] = Set(script.modules.keys)
            problems[type] = nil
            guard script.version != current[type]?.version else { return false }
            schemas[type] = schema
            current[type] = script
            return true
        } catch {
            problems[type] = error
            requiredModules[type] = Self.modulesNamed(in: error)
            return false
        }
    }

    /// The modules a load error names (`module 'x'`), so that saving one checks again.
    private static func modulesNamed(in error: StrategyError) -> Set<String> {
        var names: Set<String> = []
        var rest = error.message[...]
        while let start = rest.range(of: "module '") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "'") else { break }
            names.insert(String(rest[..<end]))
            rest = rest[end...]
        }
        return names
    }

    /// Every type in the folder: its good version and schema, and the error of a broken save.
    public var catalog: StrategyCatalog {
        var entries: [String: StrategyCatalog.Entry] = [:]
        for type in Set(current.keys).union(problems.keys) {
            entries[type] = StrategyCatalog.Entry(
                strategyType: type, version: current[type]?.version, schema: schemas[type], script: current[type],
                problem: problems[type].map { InstanceStatus.Failure(message: $0.message, kind: $0.kind.rawValue, traceback: $0.traceback) })
        }
        return StrategyCatalog(entries: entries, limits: limits, trialWorker: vettingWorker)
    }

    /// The current good version hash of each type.
    public var versions: [String: String] {
        current.mapValues(\.version)
    }
}
