import Foundation
import StrataEngine
import StrataPersistence
import StrataRuntime
import Synchronization
import Testing

@testable import StrataPostgres

/// The two stores the replay and shadow contract runs against (`@Test(arguments:)`): a fresh
/// SQLite file, or a fresh PostgreSQL database. The reference for both is the SQLite store.
enum ReplayTestStores: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// A fresh store of this kind whose clock reads `clock` (nil: the real time).
    func open(clock: Clock? = nil) throws -> Opened {
        let now: @Sendable () -> Date
        if let clock { now = { clock.now } } else { now = { Date() } }
        switch self {
        case .sqlite:
            let database = try TestDatabase()
            return Opened(store: try SQLiteStore(path: database.path, clock: now), database: database)
        case .postgres:
            let database = try TestPostgres.Database()
            return Opened(store: try PostgresStore(url: database.url, clock: now), database: database)
        }
    }
}

extension ReplayTestStores {
    /// A store under test and the database it lives in (kept alive as long as the store).
    final class Opened: @unchecked Sendable {
        let store: any InstanceStore
        private let database: AnyObject

        init(store: any InstanceStore, database: AnyObject) {
            self.store = store
            self.database = database
        }

        deinit {
            try? postgres?.close()
            try? (store as? SQLiteStore)?.close()
        }

        /// The PostgreSQL store, or nil for SQLite.
        var postgres: PostgresStore? { store as? PostgresStore }

        /// Creates instances `ids` on `market` (account `paper`, mode `observe`, empty config):
        /// through the store on SQLite, straight into the tables on PostgreSQL (its `createInstance`
        /// is built on another branch).
        func createInstances(_ ids: [String], market: String = "BTC-USD", config: [String: JSONValue] = [:]) throws {
            if let postgres {
                try postgres.seedTestInstances(ids, market: market)
                if !config.isEmpty {
                    for id in ids { try postgres.setTestConfig(id: id, config) }
                }
            } else {
                for id in ids {
                    try store.createInstance(.sample(id, market: market), mode: .observe, config: config, actor: .cli)
                }
            }
        }

        /// The instance's audit log (on PostgreSQL read straight from the table).
        func auditLog(_ id: String) throws -> [AuditEntry] {
            try postgres?.testAuditLog(instanceID: id) ?? store.auditLog(instanceID: id)
        }

        /// The instance's config (on PostgreSQL read straight from the table).
        func config(_ id: String) throws -> [String: JSONValue]? {
            if let postgres { return try postgres.testConfig(id: id) }
            return try store.instance(id: id)?.config
        }

        /// Appends signals (on PostgreSQL straight into the table).
        func appendSignals(_ signals: [SignalRecord]) throws {
            if let postgres { return try postgres.testAppendSignals(signals) }
            try store.appendSignals(signals)
        }
    }

    /// A clock a test moves by hand.
    final class Clock: Sendable {
        private let value: Mutex<Date>

        init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000.123)) { value = Mutex(start) }

        var now: Date { value.withLock { $0 } }

        func advance(_ seconds: Double) { value.withLock { $0 += seconds } }
    }
}

extension PostgresStore {
    /// Sets an instance's config straight in the table.
    func setTestConfig(id: String, _ config: [String: JSONValue]) throws {
        _ = try write("setTestConfig", instanceID: id) { session in
            try session.run("UPDATE instances SET config = \(JSONValue.object(config).encoded()) WHERE id = \(id)")
        }
    }

    /// An instance's config, straight from the table.
    func testConfig(id: String) throws -> [String: JSONValue]? {
        try read("testConfig", instanceID: id) { session in
            try session.rows("SELECT config FROM instances WHERE id = \(id)").first
                .flatMap { JSONValue(parsing: try $0.decode(String.self))?.objectValue }
        }
    }

    /// An instance's audit log, straight from the table.
    func testAuditLog(instanceID: String) throws -> [AuditEntry] {
        try read("testAuditLog", instanceID: instanceID) { session in
            try session.rows(
                """
                SELECT id, instance_id, round(extract(epoch FROM at) * 1000)::int8, actor, field, old, new
                FROM audit_log WHERE instance_id = \(instanceID) ORDER BY id
                """
            ).map { row in
                let (id, instance, at, actor, field, old, new) = try row.decode((Int64, String, Int64, String, String, String?, String).self)
                return AuditEntry(
                    id: id, instanceID: instance, at: Date(timeIntervalSince1970: Double(at) / 1000), actor: AuditActor(rawValue: actor),
                    field: AuditField(rawValue: field)!, old: old.flatMap(JSONValue.init(parsing:)), new: JSONValue(parsing: new)!)
            }
        }
    }

    /// Appends signals straight into the table.
    func testAppendSignals(_ signals: [SignalRecord]) throws {
        try write("testAppendSignals", instanceID: nil) { session in
            for signal in signals {
                let request = String(decoding: try JSONEncoder().encode(signal.request), as: UTF8.self)
                try session.run(
                    """
                    INSERT INTO signals (instance_id, request, time, price, reason, tick_seq, shadow)
                    VALUES (\(signal.instanceID), \(request), \(signal.time), \(signal.price), \(signal.reason),
                        \(signal.request.tickSeq), \(Int32(signal.shadow ? 1 : 0)))
                    """)
            }
        }
    }
}
