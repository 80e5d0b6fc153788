import Foundation
import StrataRuntime

/// The script an instance runs now, for a backtest of it: the stored source of the version its
/// status names (the code the live instance runs), else the newest stored version of its type.
public enum ResearchRunScript {
    /// Why an instance's script cannot be found.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    /// The instance's current script, with `modules` offered to `require` (the strategies
    /// folder's `lib/`), and the content hash of the stored version it is.
    /// - Throws: ``Missing`` when the store holds no version of the instance's strategy type
    ///   (it has never been run by `strata serve`); ``StoreError`` when the store fails.
    public static func current(
        of record: InstanceRecord, store: any InstanceStore, modules: ModuleOffer = ModuleOffer()
    ) throws -> (script: StrategyScript, version: String) {
        let stored: StrategyVersion
        if let hash = try store.status(instanceID: record.id)?.version,
            let version = try store.version(strategyType: record.strategyType, hash: hash)
        {
            stored = version
        } else if let newest = try store.versions(strategyType: record.strategyType).last {
            stored = newest
        } else {
            throw Missing(
                description: "no stored version of strategy \(record.strategyType) (instance \(record.id) has not run yet: start it in `strata serve` first)")
        }
        let script = StrategyScript(
            name: record.strategyType, source: stored.source, chunkName: "@\(record.strategyType).lua", modules: modules.sources,
            moduleFolder: modules.folder)
        return (script, stored.hash)
    }
}
