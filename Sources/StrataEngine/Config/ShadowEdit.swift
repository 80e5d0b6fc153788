import Foundation
import StrataIsolation
import StrataRuntime

/// Checks a shadow before it is stored (the CLI and the API share it): its script — a file of
/// unknown origin — is loaded in a confined worker first, then its config changes are merged over
/// the instance's config and validated against that script's schema.
public struct ShadowEdit {
    public var limits: StrategyLimits
    /// The strata program that vets the script in a worker (nil: in this process).
    public var vettingWorker: String?

    public init(limits: StrategyLimits = .standard, vettingWorker: String? = WorkerProcess.currentExecutable) {
        self.limits = limits
        self.vettingWorker = vettingWorker
    }

    /// The source and config to store for `record`'s shadow.
    /// - Parameters:
    ///   - source: the shadow's own script (nil: the instance's version, `current`).
    ///   - changes: config fields changed over the instance's config (`null` resets one).
    public func prepare(
        for record: InstanceRecord, source: String?, changes: [String: JSONValue], current: StrategyScript?
    ) -> Result<(source: String?, config: [String: JSONValue]), ShadowEditError> {
        let script: StrategyScript
        if let source {
            script = StrategyScript(
                name: record.strategyType, source: source, chunkName: "@\(record.strategyType).lua (shadow)", modules: current?.modules ?? [:],
                moduleFolder: current?.moduleFolder ?? "lib")
            if let vettingWorker, let error = IsolatedLoadCheck(script: script, limits: limits, executable: vettingWorker).run() {
                return .failure(.script(error))
            }
        } else if let current {
            script = current
        } else {
            return .failure(.noScript("strategy type \(record.strategyType) has no loadable script: give the shadow one"))
        }
        let schema: ConfigSchema
        do {
            schema = try StrategyInstance.check(script, identity: record.identity, limits: limits)
        } catch {
            return .failure(.script(error))
        }
        switch ConfigEdit.merge(changes, into: record.config, schema: schema) {
        case .success(let config): return .success((source, config))
        case .failure(let errors): return .failure(.config(errors))
        }
    }

    /// Writes a promoted shadow's script as its type's file (atomically), so the folder and the
    /// engine agree on the version the instance runs from now on.
    public static func install(_ source: String, type: String, in folder: URL) throws {
        try source.write(to: folder.appendingPathComponent("\(type).lua"), atomically: true, encoding: .utf8)
    }
}

/// Why a shadow was refused.
public enum ShadowEditError: Error {
    /// The script does not load (or has a malformed schema).
    case script(StrategyError)
    /// The config does not match the script's schema.
    case config(ConfigErrors)
    case noScript(String)
}
