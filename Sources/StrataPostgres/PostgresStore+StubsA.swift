import Foundation
import StrataEngine
import StrataRuntime

// TEMPORARY: replaced method by method; this file is deleted when empty.
extension PostgresStore {
    public func createInstance(_ identity: InstanceIdentity, mode: InstanceMode, config: [String: JSONValue], actor: AuditActor) throws -> InstanceRecord {
        throw StoreError(.database, "not implemented yet", operation: "createInstance")
    }

    public func instances() throws -> [InstanceRecord] {
        throw StoreError(.database, "not implemented yet", operation: "instances")
    }

    public func instance(id: String) throws -> InstanceRecord? {
        throw StoreError(.database, "not implemented yet", operation: "instance")
    }

    public func setMode(id: String, to mode: InstanceMode, actor: AuditActor) throws -> InstanceRecord {
        throw StoreError(.database, "not implemented yet", operation: "setMode")
    }

    public func setConfig(id: String, to config: [String: JSONValue], actor: AuditActor) throws -> InstanceRecord {
        throw StoreError(.database, "not implemented yet", operation: "setConfig")
    }

    public func auditLog(instanceID: String) throws -> [AuditEntry] {
        throw StoreError(.database, "not implemented yet", operation: "auditLog")
    }

    public func saveStatus(_ status: InstanceStatus) throws {
        throw StoreError(.database, "not implemented yet", operation: "saveStatus")
    }

    public func saveStatuses(_ statuses: [InstanceStatus], overRunningOnly: Bool) throws {
        throw StoreError(.database, "not implemented yet", operation: "saveStatuses")
    }

    public func statuses() throws -> [InstanceStatus] {
        throw StoreError(.database, "not implemented yet", operation: "statuses")
    }

    public func status(instanceID: String) throws -> InstanceStatus? {
        throw StoreError(.database, "not implemented yet", operation: "status")
    }

    public func recordVersion(_ version: StrategyVersion) throws -> StrategyVersion {
        throw StoreError(.database, "not implemented yet", operation: "recordVersion")
    }

    public func version(strategyType: String, hash: String) throws -> StrategyVersion? {
        throw StoreError(.database, "not implemented yet", operation: "version")
    }

    public func versions(strategyType: String) throws -> [StrategyVersion] {
        throw StoreError(.database, "not implemented yet", operation: "versions")
    }

    public func ensureAccount(_ account: AccountRecord) throws -> AccountRecord {
        throw StoreError(.database, "not implemented yet", operation: "ensureAccount")
    }

    public func accounts() throws -> [AccountRecord] {
        throw StoreError(.database, "not implemented yet", operation: "accounts")
    }

    public func saveOrders(_ orders: [Order]) throws {
        throw StoreError(.database, "not implemented yet", operation: "saveOrders")
    }

    public func appendFills(_ fills: [FillRecord]) throws {
        throw StoreError(.database, "not implemented yet", operation: "appendFills")
    }

    public func appendSignals(_ signals: [SignalRecord]) throws {
        throw StoreError(.database, "not implemented yet", operation: "appendSignals")
    }

    public func appendLogs(_ entries: [InstanceLogEntry]) throws {
        throw StoreError(.database, "not implemented yet", operation: "appendLogs")
    }

    public func orders(instanceID: String, limit: Int) throws -> [Order] {
        throw StoreError(.database, "not implemented yet", operation: "orders")
    }

    public func fills(instanceID: String, limit: Int) throws -> [FillRecord] {
        throw StoreError(.database, "not implemented yet", operation: "fills")
    }

    public func allOrdersAndFills() throws -> (orders: [Order], fills: [FillRecord]) {
        throw StoreError(.database, "not implemented yet", operation: "allOrdersAndFills")
    }

    public func signals(instanceID: String, limit: Int) throws -> [SignalRecord] {
        throw StoreError(.database, "not implemented yet", operation: "signals")
    }

    public func logs(instanceID: String, limit: Int) throws -> [InstanceLogEntry] {
        throw StoreError(.database, "not implemented yet", operation: "logs")
    }

    public func logs(instanceID: String, around time: Double, window: Double, limit: Int) throws -> [InstanceLogEntry] {
        throw StoreError(.database, "not implemented yet", operation: "logs")
    }
}
