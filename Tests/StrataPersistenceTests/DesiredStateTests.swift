import Foundation
import StrataEngine
import StrataRuntime
import Testing

@testable import StrataPersistence

@Suite struct DesiredStateTests {
    @Test(arguments: StoreKind.allCases) func createListAndGet(_ kind: StoreKind) throws {
        // Given an empty database
        let db = try TestStore(kind)
        let store = try db.open()
        #expect(try store.instances().isEmpty)

        // When two instances are created
        let first = try store.createInstance(.sample("a"), mode: .observe, config: ["fast": .integer(5)], actor: .cli)
        let second = try store.createInstance(.sample("b", market: "ETH-USD"), mode: .off, config: [:], actor: .api)

        // Then both are listed in creation order and each can be read back as created
        #expect(try store.instances().map(\.id) == ["a", "b"])
        #expect(try store.instance(id: "a") == first)
        #expect(try store.instance(id: "b") == second)
        #expect(first.mode == .observe && first.config == ["fast": .integer(5)])
        #expect(try store.instance(id: "missing") == nil)
        // and the account was created with the paper broker
        #expect(try store.accounts().map(\.broker) == ["paper"])
        // and the creation is audited with its actor
        let audit = try store.auditLog(instanceID: "a")
        #expect(audit.count == 1)
        #expect(audit[0].field == .create && audit[0].actor == .cli && audit[0].old == nil)
        #expect(audit[0].new["mode"] == .string("observe"))
    }

    @Test(arguments: StoreKind.allCases) func creatingATakenIDFailsAndChangesNothing(_ kind: StoreKind) throws {
        let db = try TestStore(kind)
        let store = try db.open()
        try store.createInstance(.sample("a"), mode: .off, config: [:], actor: .cli)

        #expect { try store.createInstance(.sample("a", market: "ETH-USD"), mode: .active, config: [:], actor: .cli) } throws: {
            ($0 as? StoreError)?.code == .alreadyExists
        }
        #expect(try store.instance(id: "a")?.market == "BTC-USD")
        #expect(try store.auditLog(instanceID: "a").count == 1)
    }

    @Test(arguments: StoreKind.allCases) func identityCannotChangeEvenThroughRawSQL(_ kind: StoreKind) throws {
        // Given an instance
        let db = try TestStore(kind)
        let store = try db.open()
        try store.createInstance(.sample("a"), mode: .off, config: [:], actor: .cli)

        // When its market, then its id, are updated from the database's own shell
        let market = try db.shell("UPDATE instances SET market = 'ETH-USD' WHERE id = 'a';")
        let id = try db.shell("UPDATE instances SET id = 'z' WHERE id = 'a';")

        // Then both are refused and the identity is unchanged
        #expect(market.status != 0 && id.status != 0)
        #expect(market.stderr.contains("instance identity is immutable"))
        #expect(id.stderr.contains("instance identity is immutable"))
        #expect(try store.instance(id: "a")?.identity == .sample("a"))
        // while a raw write of a mutable column is allowed
        #expect(try db.shell("UPDATE instances SET mode = 'observe' WHERE id = 'a';").status == 0)
        #expect(try store.instance(id: "a")?.mode == .observe)
    }

    @Test(arguments: StoreKind.allCases) func setModeAndSetConfigAppendAuditEntries(_ kind: StoreKind) throws {
        // Given an instance
        let db = try TestStore(kind)
        let store = try db.open()
        try store.createInstance(.sample("a"), mode: .off, config: ["fast": .integer(5)], actor: .cli)

        // When its mode and config change
        let moded = try store.setMode(id: "a", to: .active, actor: .api)
        let configured = try store.setConfig(id: "a", to: ["fast": .integer(8), "qty": .number(0.5)], actor: .cli)

        // Then the record has them and the audit log holds who, old and new
        #expect(moded.mode == .active)
        #expect(configured.config == ["fast": .integer(8), "qty": .number(0.5)])
        #expect(try store.instance(id: "a") == configured)
        let audit = try store.auditLog(instanceID: "a")
        #expect(audit.map(\.field) == [.create, .mode, .config])
        #expect(audit[1].actor == .api && audit[1].old == .string("off") && audit[1].new == .string("active"))
        #expect(audit[2].actor == .cli && audit[2].old == .object(["fast": .integer(5)]))
        #expect(audit[2].new == .object(["fast": .integer(8), "qty": .number(0.5)]))
        #expect(audit.map(\.id) == audit.map(\.id).sorted())
    }

    @Test(arguments: StoreKind.allCases) func noOpChangesWriteNothing(_ kind: StoreKind) throws {
        // Given an instance
        let db = try TestStore(kind)
        let store = try db.open()
        let created = try store.createInstance(.sample("a"), mode: .observe, config: ["qty": .number(1)], actor: .cli)
        let token = try store.changeToken()

        // When the same mode and an equal config are set
        try store.setMode(id: "a", to: .observe, actor: .cli)
        try store.setConfig(id: "a", to: ["qty": .integer(1)], actor: .cli)

        // Then there is no new audit entry, no new timestamp and no new token
        #expect(try store.auditLog(instanceID: "a").count == 1)
        #expect(try store.instance(id: "a") == created)
        #expect(try store.changeToken() == token)
    }

    @Test(arguments: StoreKind.allCases) func aChangeAndItsAuditEntryCommitTogether(_ kind: StoreKind) throws {
        // Given an instance, and an audit log that refuses inserts
        let db = try TestStore(kind)
        let store = try db.open()
        try store.createInstance(.sample("a"), mode: .off, config: [:], actor: .cli)
        let refuse =
            switch kind {
            case .sqlite: "CREATE TRIGGER refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'refused'); END;"
            case .postgres:
                """
                CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
                CREATE TRIGGER refuse BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse();
                """
            }
        #expect(try db.shell(refuse).status == 0)

        // When the mode and config are changed
        #expect(throws: StoreError.self) { try store.setMode(id: "a", to: .active, actor: .cli) }
        #expect(throws: StoreError.self) { try store.setConfig(id: "a", to: ["x": .bool(true)], actor: .cli) }

        // Then neither change was kept without its audit entry
        #expect(try store.instance(id: "a")?.mode == .off)
        #expect(try store.instance(id: "a")?.config == [:])
    }

    @Test(arguments: StoreKind.allCases) func changesToAMissingInstanceAreNotFound(_ kind: StoreKind) throws {
        let db = try TestStore(kind)
        let store = try db.open()
        #expect { try store.setMode(id: "nope", to: .active, actor: .cli) } throws: {
            ($0 as? StoreError)?.code == .notFound && ($0 as? StoreError)?.instanceID == "nope"
        }
        #expect { try store.setConfig(id: "nope", to: [:], actor: .cli) } throws: { ($0 as? StoreError)?.code == .notFound }
    }

    @Test(arguments: StoreKind.allCases) func theAuditLogIsAppendOnly(_ kind: StoreKind) throws {
        let db = try TestStore(kind)
        let store = try db.open()
        try store.createInstance(.sample("a"), mode: .off, config: [:], actor: .cli)
        #expect(try db.shell("DELETE FROM audit_log;").status != 0)
        #expect(try db.shell("UPDATE audit_log SET actor = 'x';").status != 0)
        #expect(try store.auditLog(instanceID: "a").count == 1)
    }
}
