import Foundation
import StrataEngine
import StrataRuntime
import Testing

/// The shadow contract (desired state, audited, moving the change token), the same on both stores.
@Suite struct ShadowStoreTests {
    @Test(arguments: ReplayTestStores.allCases)
    func aShadowIsSetReplacedAndRemovedWithAnAuditEntryEachTime(_ kind: ReplayTestStores) throws {
        // Given an instance and a pinned clock
        let clock = ReplayTestStores.Clock()
        let opened = try kind.open(clock: clock)
        let store = opened.store
        try opened.createInstances(["a", "b"])
        let created = clock.now

        // When a shadow is set, then replaced a second later
        let first = try store.setShadow(instanceID: "a", source: "return {}", config: ["qty": .integer(1)], actor: .cli)
        clock.advance(1)
        let second = try store.setShadow(instanceID: "a", source: nil, config: ["qty": .integer(2)], actor: "http")

        // Then the store holds the second, created when the first was
        #expect(first.source == "return {}" && first.version == ContentHash.hex(of: "return {}"))
        #expect(second.source == nil && second.version == nil && second.config == ["qty": .integer(2)])
        #expect(abs(second.createdAt.timeIntervalSince(created)) < 0.001)
        #expect(abs(second.updatedAt.timeIntervalSince(created) - 1) < 0.001)
        #expect(second.promoteRequestedAt == nil)
        #expect(try store.shadow(instanceID: "a") == second)
        #expect(try store.shadow(instanceID: "b") == nil)

        // And removing it says whether there was one
        #expect(try store.removeShadow(instanceID: "a", actor: .cli))
        #expect(try !store.removeShadow(instanceID: "a", actor: .cli))
        #expect(try store.shadow(instanceID: "a") == nil)

        // And each change is audited as `shadow`: old → new
        let audit = try opened.auditLog("a").filter { $0.field == .shadow }
        #expect(audit.map(\.actor) == [.cli, "http", .cli])
        #expect(audit[0].old == nil)
        #expect(audit[0].new == .object(["version": .string(ContentHash.hex(of: "return {}")), "config": .object(["qty": .integer(1)])]))
        #expect(audit[1].old == audit[0].new)
        #expect(audit[1].new == .object(["version": .null, "config": .object(["qty": .integer(2)])]))
        #expect(audit[2].old == audit[1].new && audit[2].new == .null)
    }

    @Test(arguments: ReplayTestStores.allCases)
    func shadowsAreListedByInstanceAndUnknownInstancesRefused(_ kind: ReplayTestStores) throws {
        let opened = try kind.open()
        let store = opened.store
        try opened.createInstances(["b", "a", "c"])
        try store.setShadow(instanceID: "c", source: nil, config: [:], actor: .cli)
        try store.setShadow(instanceID: "a", source: "x", config: [:], actor: .cli)
        #expect(try store.shadows().map(\.instanceID) == ["a", "c"])

        let error = #expect(throws: StoreError.self) {
            try store.setShadow(instanceID: "ghost", source: nil, config: [:], actor: .cli)
        }
        #expect(error?.code == .notFound)
        #expect(try !store.removeShadow(instanceID: "ghost", actor: .cli))
    }

    @Test(arguments: ReplayTestStores.allCases)
    func aPromotionTakesTheShadowsConfigAndIsCompletedByTheEngine(_ kind: ReplayTestStores) throws {
        // Given an instance with a config and a shadow with another
        let opened = try kind.open()
        let store = opened.store
        try opened.createInstances(["a", "b"], config: ["qty": .integer(1)])
        try store.setShadow(instanceID: "a", source: "v2", config: ["qty": .integer(5)], actor: .cli)

        // When a promotion is asked for
        let promoted = try store.requestPromotion(instanceID: "a", actor: "http")

        // Then the instance has the shadow's config (audited as config, then promote), and the
        // shadow waits for the engine
        #expect(promoted.config == ["qty": .integer(5)] && promoted.id == "a")
        #expect(try opened.config("a") == ["qty": .integer(5)])
        let audit = try opened.auditLog("a")
        #expect(audit.suffix(2).map(\.field) == [.config, .promote])
        #expect(audit.last?.new == .object(["version": .string(ContentHash.hex(of: "v2")), "config": .object(["qty": .integer(5)])]))
        #expect(audit.dropLast().last?.old == .object(["qty": .integer(1)]))
        #expect(try store.shadow(instanceID: "a")?.promoteRequestedAt != nil)

        // And completing it removes the shadow, with no new audit entry
        try store.completePromotion(instanceID: "a")
        #expect(try store.shadow(instanceID: "a") == nil)
        #expect(try opened.auditLog("a").count == audit.count)
    }

    @Test(arguments: ReplayTestStores.allCases)
    func aPromotionOfTheSameConfigAuditsOnlyThePromotion(_ kind: ReplayTestStores) throws {
        let opened = try kind.open()
        let store = opened.store
        try opened.createInstances(["a"], config: ["qty": .integer(1)])
        try store.setShadow(instanceID: "a", source: "v2", config: ["qty": .integer(1)], actor: .cli)
        let before = try opened.auditLog("a").count
        try store.requestPromotion(instanceID: "a", actor: .cli)
        #expect(try opened.auditLog("a").dropFirst(before).map(\.field) == [.promote])
    }

    @Test(arguments: ReplayTestStores.allCases)
    func promotionNeedsAShadowAndCompletionAPromotion(_ kind: ReplayTestStores) throws {
        let opened = try kind.open()
        let store = opened.store
        try opened.createInstances(["a"])
        let error = #expect(throws: StoreError.self) { try store.requestPromotion(instanceID: "a", actor: .cli) }
        #expect(error?.code == .notFound)
        let unknown = #expect(throws: StoreError.self) { try store.requestPromotion(instanceID: "ghost", actor: .cli) }
        #expect(unknown?.code == .notFound)

        // A shadow nobody asked to promote survives a completion; setting it again cancels a request
        try store.setShadow(instanceID: "a", source: nil, config: [:], actor: .cli)
        try store.completePromotion(instanceID: "a")
        #expect(try store.shadow(instanceID: "a") != nil)
        try store.requestPromotion(instanceID: "a", actor: .cli)
        try store.setShadow(instanceID: "a", source: nil, config: ["x": .bool(true)], actor: .cli)
        #expect(try store.shadow(instanceID: "a")?.promoteRequestedAt == nil)
    }

    @Test(arguments: ReplayTestStores.allCases)
    func shadowWritesMoveTheChangeToken(_ kind: ReplayTestStores) throws {
        let opened = try kind.open()
        let store = opened.store
        try opened.createInstances(["a"])
        var token = try store.changeToken()
        func moved() throws -> Bool {
            let now = try store.changeToken()
            defer { token = now }
            return now != token
        }
        try store.setShadow(instanceID: "a", source: nil, config: [:], actor: .cli)
        #expect(try moved())
        try store.requestPromotion(instanceID: "a", actor: .cli)
        #expect(try moved())
        try store.completePromotion(instanceID: "a")
        #expect(try moved())
        try store.setShadow(instanceID: "a", source: nil, config: [:], actor: .cli)
        #expect(try moved())
        try store.removeShadow(instanceID: "a", actor: .cli)
        #expect(try moved())
    }

    @Test(arguments: ReplayTestStores.allCases)
    func theNewestShadowSignalsOldestFirst(_ kind: ReplayTestStores) throws {
        // Given an instance's own signals and its shadow's, interleaved
        let opened = try kind.open()
        try opened.createInstances(["a", "b"])
        var request = OrderRequest(side: .buy, quantity: 1)
        request.tickSeq = 42
        let signals = (0..<10).map { index in
            var signal = SignalRecord(instanceID: "a", request: request, time: Double(index), price: index == 3 ? nil : 100)
            signal.shadow = index % 2 == 1
            return signal
        }
        try opened.appendSignals(signals + [SignalRecord(instanceID: "b", request: request, time: 0, price: nil)])

        // Then only the shadow's come, the newest `limit`, oldest first, with every field
        let shadowSignals = try opened.store.shadowSignals(instanceID: "a", limit: 3)
        #expect(shadowSignals.map(\.time) == [5, 7, 9])
        #expect(shadowSignals.allSatisfy { $0.shadow && $0.request == request && $0.price == 100 && $0.instanceID == "a" })
        #expect(try opened.store.shadowSignals(instanceID: "a", limit: 10).map(\.price) == [100, nil, 100, 100, 100])
        #expect(try opened.store.shadowSignals(instanceID: "b", limit: 10).isEmpty)
    }
}

/// What only PostgreSQL does for shadows: other processes' writes are pushed.
@Suite struct PostgresShadowTests {
    @Test func aShadowWriteOfAnotherStoreIsPushedToObservers() throws {
        // Given an engine's store observing, and a CLI's store on the same database
        let database = try ClusterTestDatabase()
        let engine = try database.open()
        let cli = try database.open()
        try cli.seedTestInstances(["a"])
        let signal = DispatchSemaphore(value: 0)
        let observation = engine.observeDesiredState { signal.signal() }
        defer { observation.cancel() }
        Thread.sleep(forTimeInterval: 0.3)  // the listener connects and listens
        while signal.wait(timeout: .now() + 0.2) == .success {}

        // When the CLI sets a shadow
        try cli.setShadow(instanceID: "a", source: nil, config: [:], actor: .cli)

        // Then the engine hears of it
        #expect(signal.wait(timeout: .now() + 5) == .success)
    }
}
