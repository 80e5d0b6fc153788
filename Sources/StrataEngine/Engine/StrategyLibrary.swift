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
    }

    /// Rescans the folder. A file whose size and time are unchanged is skipped; one whose
    /// content hash is unchanged (a touch) changes nothing.
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
        for file in files where file.pathExtension == "lua" {
            let type = file.deletingPathExtension().lastPathComponent
            let values = try? file.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey])
            let fingerprint = FileFingerprint(size: values?.fileSize ?? -1, modified: values?.contentModificationDate ?? .distantPast)
            guard fingerprints[type] != fingerprint else { continue }
            fingerprints[type] = fingerprint
            guard let data = FileManager.default.contents(atPath: file.path) else { continue }
            let script = StrategyScript(name: type, source: String(decoding: data, as: UTF8.self), chunkName: "@\(type).lua")
            if script.version == current[type]?.version {
                problems[type] = nil
                continue
            }
            let probe = InstanceIdentity(id: "check", strategyType: type, account: "paper", market: "CHECK/USD")
            if let vettingWorker, let error = IsolatedLoadCheck(script: script, limits: limits, executable: vettingWorker).run() {
                problems[type] = error
                continue
            }
            do {
                schemas[type] = try StrategyInstance.check(script, identity: probe, limits: limits)
                current[type] = script
                problems[type] = nil
                changed.insert(type)
            } catch {
                problems[type] = error
            }
        }
        return changed
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
