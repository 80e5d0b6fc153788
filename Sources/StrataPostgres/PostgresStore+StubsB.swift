import Foundation
import StrataEngine
import StrataRuntime

// TEMPORARY: replaced method by method; this file is deleted when empty.
extension PostgresStore {
    public func saveSnapshots(_ snapshots: [StateSnapshot], keep: Int) throws {
        throw StoreError(.database, "not implemented yet", operation: "saveSnapshots")
    }

    public func latestSnapshots() throws -> [String: StateSnapshot] {
        throw StoreError(.database, "not implemented yet", operation: "latestSnapshots")
    }

    public func snapshot(instanceID: String, atOrBefore seq: Int64?) throws -> StateSnapshot? {
        throw StoreError(.database, "not implemented yet", operation: "snapshot")
    }

    public func snapshots(instanceID: String, limit: Int) throws -> [StateSnapshot] {
        throw StoreError(.database, "not implemented yet", operation: "snapshots")
    }

    public func appendTicks(_ ticks: [Tick]) throws {
        throw StoreError(.database, "not implemented yet", operation: "appendTicks")
    }

    public func journaledTicks(market: String, after: Int64, through: Int64?, limit: Int) throws -> [Tick] {
        throw StoreError(.database, "not implemented yet", operation: "journaledTicks")
    }

    public func journaledTicks(market: String, through: Int64, last limit: Int) throws -> [Tick] {
        throw StoreError(.database, "not implemented yet", operation: "journaledTicks")
    }

    public func lastTickSeq() throws -> Int64 {
        throw StoreError(.database, "not implemented yet", operation: "lastTickSeq")
    }

    public func tickSeq(market: String, atOrBefore ts: Double) throws -> Int64? {
        throw StoreError(.database, "not implemented yet", operation: "tickSeq")
    }

    public func pruneJournal(keepTicks: Int, maxAge: Double?) throws -> Int {
        throw StoreError(.database, "not implemented yet", operation: "pruneJournal")
    }

    public func setShadow(instanceID: String, source: String?, config: [String: JSONValue], actor: AuditActor) throws -> ShadowRecord {
        throw StoreError(.database, "not implemented yet", operation: "setShadow")
    }

    public func removeShadow(instanceID: String, actor: AuditActor) throws -> Bool {
        throw StoreError(.database, "not implemented yet", operation: "removeShadow")
    }

    public func shadows() throws -> [ShadowRecord] {
        throw StoreError(.database, "not implemented yet", operation: "shadows")
    }

    public func shadow(instanceID: String) throws -> ShadowRecord? {
        throw StoreError(.database, "not implemented yet", operation: "shadow")
    }

    public func requestPromotion(instanceID: String, actor: AuditActor) throws -> InstanceRecord {
        throw StoreError(.database, "not implemented yet", operation: "requestPromotion")
    }

    public func completePromotion(instanceID: String) throws {
        throw StoreError(.database, "not implemented yet", operation: "completePromotion")
    }

    public func shadowSignals(instanceID: String, limit: Int) throws -> [SignalRecord] {
        throw StoreError(.database, "not implemented yet", operation: "shadowSignals")
    }
}
