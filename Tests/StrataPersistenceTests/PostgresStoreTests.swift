import Foundation
import StrataEngine
import StrataPostgres
import StrataRuntime
import Testing

/// What only the PostgreSQL store does: migrations by name, pushed changes.
@Suite struct PostgresStoreTests {
    @Test func migratesANewDatabaseAndOpensItAgain() throws {
        let database = try TestPostgres.Database()
        let first = try database.open()
        #expect(try first.changeToken().generation == 0)
        try first.close()
        let second = try database.open()
        #expect(try second.changeToken().generation == 0)
        try second.close()
    }

    @Test func aBadURLSaysWhatIsWrong() {
        #expect(throws: StoreError.self) { try PostgresStore(url: "postgres://nobody@127.0.0.1:1/none") }
        #expect(throws: StoreError.self) { try PostgresStore(url: "postgres://127.0.0.1/") }
    }
}
