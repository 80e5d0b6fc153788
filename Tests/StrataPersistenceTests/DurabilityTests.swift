import Foundation
import StrataEngine
import StrataRuntime
import Testing

@testable import StrataPersistence

@Suite struct DurabilityTests {
    @Test(arguments: StoreKind.allCases) func everythingSurvivesClosingAndReopening(_ kind: StoreKind) throws {
        // Given a store with an instance, a change, a status, a version, history
        let db = try TestStore(kind)
        let store = try db.open()
        try store.createInstance(.sample("a"), mode: .off, config: ["fast": .integer(3)], actor: .cli)
        let record = try store.setMode(id: "a", to: .active, actor: .api)
        let status = InstanceStatus(
            instanceID: "a", state: .running, version: "h1", ticks: 42,
            updatedAt: Date(timeIntervalSince1970: 1_700_000_000.5))
        try store.saveStatus(status)
        let version = try store.recordVersion(StrategyVersion(strategyType: "sma_cross", hash: "h1", source: "-- x"))
        try store.appendLogs([InstanceLogEntry(instanceID: "a", time: 1, level: .info, message: "hello")])
        let audit = try store.auditLog(instanceID: "a")
        let token = try store.changeToken()

        // When it is closed and the database opened again
        try store.close()
        let reopened = try db.open()

        // Then every value reads back the same, and the schema was not migrated twice
        #expect(try reopened.instances() == [record])
        #expect(try reopened.status(instanceID: "a") == status)
        #expect(try reopened.version(strategyType: "sma_cross", hash: "h1") == version)
        #expect(try reopened.logs(instanceID: "a", limit: 10).map(\.message) == ["hello"])
        #expect(try reopened.auditLog(instanceID: "a") == audit)
        #expect(try reopened.changeToken() == token)
    }

    @Test(arguments: StoreKind.allCases) func aClosedStoreThrowsInsteadOfCrashing(_ kind: StoreKind) throws {
        let db = try TestStore(kind)
        let store = try db.open()
        try store.close()
        #expect(throws: StoreError.self) { try store.instances() }
    }
}
