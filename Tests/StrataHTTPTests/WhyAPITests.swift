import Foundation
import StrataEngine
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// `GET /api/instances/{id}/why`: the ticks, the snapshot and the log lines behind an order.
    @Suite struct WhyAPITests {
        /// Snapshots every 200 ms, so that a running instance has some within a test's time.
        static var persistence: StatePersistence {
            var persistence = StatePersistence()
            persistence.snapshotInterval = .milliseconds(200)
            return persistence
        }

        @Test func explainsAnOrderWithItsTicksSnapshotAndLogs() async throws {
            try await withAPI(persistence: Self.persistence) { api, fixture in
                try await api.create("act-1", market: "Y/USD", mode: "active")
                // An order placed after the first snapshot (the widgets script orders every fifth tick).
                var seq: Int64 = 0
                try await eventually("an order after a snapshot") {
                    let orders = try await api.get("/api/instances/act-1/orders").json?["orders"]?.arrayValue ?? []
                    let first = try fixture.store.snapshots(instanceID: "act-1", limit: 100).last?.tickSeq
                    guard let first, case .integer(let newest)? = orders.first?["tick_seq"], newest > first else { return false }
                    seq = newest
                    return true
                }

                let why = try await api.get("/api/instances/act-1/why?seq=\(seq)")
                #expect(why.status == 200)
                let body = try #require(why.json)
                #expect(body["seq"] == .integer(seq))
                #expect(body["market"] == "Y/USD")
                let ticks = body["ticks"]?.arrayValue ?? []
                let seqs = ticks.compactMap { if case .integer(let s)? = $0["seq"] { s } else { nil } }
                #expect(seqs.last == seq, "the order's own tick comes last")
                #expect(seqs.count > 1 && seqs.count <= 50, "and the ticks before it: \(seqs.count)")
                #expect(seqs == seqs.sorted(), "oldest first")
                #expect(ticks.allSatisfy { $0["price"]?.doubleValue != nil && $0["ts"]?.stringValue != nil })

                let snapshot = try #require(body["snapshot"]?.objectValue)
                let taken = try #require(snapshot["tick_seq"]?.doubleValue)
                #expect(taken <= Double(seq))
                #expect(snapshot["version"]?.stringValue == fixture.loop.catalog.entries["widgets"]?.version)
                #expect(snapshot["state_error"] == .null)
                #expect(snapshot["state_truncated"] == false)
                // The widgets script counts its ticks in state.n.
                #expect((snapshot["state"]?["n"]?.doubleValue ?? 0) >= 1)

                let logs = body["logs"]?.arrayValue ?? []
                #expect(logs.contains { $0["message"]?.stringValue?.hasPrefix("tick ") == true })

                // The order names its tick in the orders list too.
                let orders = try await api.get("/api/instances/act-1/orders").json?["orders"]?.arrayValue ?? []
                #expect(orders.contains { $0["tick_seq"] == .integer(seq) })
            }
        }

        @Test func refusesABadSeqAndAnUnknownInstance() async throws {
            try await withAPI { api, fixture in
                try fixture.seed("w-1")
                for query in ["", "?seq=", "?seq=0", "?seq=-1", "?seq=x", "?seq=1.5", "?seq=99999999999999999999"] {
                    let answer = try await api.get("/api/instances/w-1/why\(query)")
                    #expect(answer.status == 400, "\(query)")
                    #expect(answer.errorFields == ["seq"], "\(query)")
                }
                #expect(try await api.get("/api/instances/w-1/why").message(for: "seq") == "is required")
                #expect(try await api.get("/api/instances/nope/why?seq=1").status == 404)
                let empty = try await api.get("/api/instances/w-1/why?seq=5")
                #expect(empty.status == 200)
                #expect(empty.json?["ticks"] == [])
                #expect(empty.json?["snapshot"] == .null)
                #expect(empty.json?["logs"] == [])
            }
        }

        @Test func aCorruptSnapshotIsAnErrorNotAFailure() async throws {
            try await withAPI { api, fixture in
                try fixture.seed("w-1")
                try fixture.seed("w-2")
                try fixture.store.saveSnapshots(
                    [
                        Self.snapshot("w-1", bytes: [0xDE, 0xAD, 0xBE, 0xEF]),
                        // A table that never ends.
                        Self.snapshot("w-2", bytes: SnapshotBytes.magic + [6] + SnapshotBytes.string("k")),
                    ], keep: 5)
                for id in ["w-1", "w-2"] {
                    let why = try await api.get("/api/instances/\(id)/why?seq=10")
                    #expect(why.status == 200)
                    let snapshot = why.json?["snapshot"]
                    #expect(snapshot?["state"] == .null)
                    #expect(snapshot?["state_error"]?.stringValue?.contains("corrupt snapshot") == true, "\(id): \(why.text)")
                    #expect(snapshot?["tick_seq"] == 3)
                    #expect(snapshot?["reason"] == "periodic")
                }
            }
        }

        @Test func aDeepOrHugeStateIsCapped() async throws {
            try await withAPI { api, fixture in
                for id in ["deep", "deeper", "wide", "ring"] { try fixture.seed(id) }
                let wide = SnapshotBytes.table(
                    (1...5_000).map { (SnapshotBytes.integer(Int64($0)), SnapshotBytes.string(String(repeating: "x", count: 3_000))) })
                let ring = SnapshotBytes.table([(SnapshotBytes.string("self"), SnapshotBytes.ref(0))])
                try fixture.store.saveSnapshots(
                    [
                        Self.snapshot("deep", bytes: SnapshotBytes.magic + SnapshotBytes.nested(60)),
                        Self.snapshot("deeper", bytes: SnapshotBytes.magic + SnapshotBytes.nested(5_000)),
                        Self.snapshot("wide", bytes: SnapshotBytes.magic + wide),
                        Self.snapshot("ring", bytes: SnapshotBytes.magic + ring),
                    ], keep: 5)

                let deep = try await api.get("/api/instances/deep/why?seq=4").json?["snapshot"]
                #expect(deep?["state_truncated"] == true)
                var level = deep?["state"]
                var depth = 0
                while case .array(let items)? = level, let first = items.first {
                    level = first
                    depth += 1
                }
                #expect(depth == 20)
                #expect(level == "<truncated>")

                // Deeper than any snapshot may be: refused while decoding.
                let deeper = try await api.get("/api/instances/deeper/why?seq=4").json?["snapshot"]
                #expect(deeper?["state"] == .null)
                #expect(deeper?["state_error"]?.stringValue?.contains("nested too deeply") == true)

                let answer = try await api.get("/api/instances/wide/why?seq=4")
                #expect(answer.text.utf8.count < 1_000_000, "the answer is bounded: \(answer.text.utf8.count) bytes")
                let items = answer.json?["snapshot"]?["state"]?.arrayValue ?? []
                #expect(items.count <= 2_001)
                #expect(items.last == "<truncated>")
                #expect(answer.json?["snapshot"]?["state_truncated"] == true)

                let cycle = try await api.get("/api/instances/ring/why?seq=4").json?["snapshot"]
                #expect(cycle?["state"] == ["self": "<cycle>"])
                #expect(cycle?["state_truncated"] == false)
            }
        }

        static func snapshot(_ id: String, bytes: [UInt8]) -> StateSnapshot {
            StateSnapshot(instanceID: id, version: "v1", tickSeq: 3, takenAt: Date(), reason: .periodic, bytes: bytes)
        }
    }
}

/// Snapshot bytes (format STS1, see strata_snapshot.c) built by hand: hostile ones that no
/// script could save.
enum SnapshotBytes {
    static let magic = Array("STS1".utf8)

    static func integer(_ value: Int64) -> [UInt8] {
        [3] + (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: value) >> (8 * UInt64($0))) }
    }

    static func string(_ text: String) -> [UInt8] { [5] + varint(UInt64(text.utf8.count)) + Array(text.utf8) }

    /// The table read `id`-th (0: the first).
    static func ref(_ id: UInt64) -> [UInt8] { [7] + varint(id) }

    static func table(_ entries: [([UInt8], [UInt8])]) -> [UInt8] {
        [6] + entries.flatMap { $0.0 + $0.1 } + [0xFF]
    }

    /// `depth` tables, each the only item of the one around it.
    static func nested(_ depth: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<depth { bytes += [6] + integer(1) }
        bytes += [6, 0xFF]
        for _ in 0..<depth { bytes.append(0xFF) }
        return bytes
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        repeat {
            let low = UInt8(value & 0x7F)
            value >>= 7
            bytes.append(low | (value == 0 ? 0 : 0x80))
        } while value != 0
        return bytes
    }
}
