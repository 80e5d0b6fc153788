import Foundation
import NIOCore
import PostgresNIO
import StrataEngine
import StrataRuntime

// State snapshots and the tick journal (see `ReplayStore`), as the SQLite store keeps them. A
// batch is one statement over bound arrays (`unnest`), whatever its size.
extension PostgresStore {
    /// Fenced: a snapshot of an instance this node holds no lease for, or whose lease moved on to
    /// a larger token, is not stored (and is counted in the lease book's refused writes).
    public func saveSnapshots(_ snapshots: [StateSnapshot], keep: Int) throws {
        // In instance-id order, the order the fence locks lease rows in (as a lease round's), and
        // stable, so an instance's own snapshots keep their order (its newest stays the last).
        let ordered = snapshots.enumerated()
            .sorted { ($0.element.instanceID, $0.offset) < ($1.element.instanceID, $1.offset) }
            .map(\.element)
        let passed = fenced(ordered, instanceID: \.instanceID)
        guard !passed.isEmpty else { return }
        let written = try write("saveSnapshots", instanceID: snapshots.count == 1 ? snapshots[0].instanceID : nil) { session in
            let stored = try session.rows(
                """
                INSERT INTO state_snapshots (instance_id, version, tick_seq, taken_at, reason, state)
                SELECT s.instance_id, s.version, s.tick_seq, \(unescaped: PostgresMilliseconds.writeSQL("s.taken_at")), s.reason, s.state
                FROM unnest(
                    \(passed.map(\.record.instanceID))::text[], \(passed.map(\.record.version))::text[],
                    \(passed.map(\.record.tickSeq))::int8[], \(passed.map { PostgresMilliseconds.of($0.record.takenAt) })::int8[],
                    \(passed.map(\.record.reason.rawValue))::text[], \(passed.map { ByteBuffer(bytes: $0.record.bytes) })::bytea[],
                    \(passed.map { $0.token ?? 0 })::int8[]
                ) WITH ORDINALITY AS s(instance_id, version, tick_seq, taken_at, reason, state, token, n)
                WHERE strata_lease_holds(s.instance_id, nullif(s.token, 0))
                ORDER BY s.n
                RETURNING instance_id
                """
            ).map { try $0.decode(String.self) }
            // Keep the newest `keep` of each instance written to (ids grow with insertion).
            let written = Set(stored).sorted()
            if !written.isEmpty {
                try session.run(
                    """
                    DELETE FROM state_snapshots s USING (
                        SELECT id, row_number() OVER (PARTITION BY instance_id ORDER BY id DESC) AS newer
                        FROM state_snapshots WHERE instance_id = ANY(\(written))
                    ) old
                    WHERE s.id = old.id AND old.newer > \(Int64(max(1, keep)))
                    """)
            }
            return stored.count
        }
        countRefused(sent: passed.count, written: written)
    }

    public func latestSnapshots() throws -> [String: StateSnapshot] {
        try read("latestSnapshots", instanceID: nil) { session in
            let rows = try session.rows(
                """
                SELECT DISTINCT ON (instance_id) \(unescaped: Self.snapshotColumns) FROM state_snapshots
                ORDER BY instance_id, id DESC
                """)
            var latest: [String: StateSnapshot] = [:]
            for row in rows {
                let snapshot = try Self.snapshot(row)
                latest[snapshot.instanceID] = snapshot
            }
            return latest
        }
    }

    public func snapshot(instanceID: String, atOrBefore seq: Int64?) throws -> StateSnapshot? {
        try read("snapshot", instanceID: instanceID) { session in
            try session.rows(
                """
                SELECT \(unescaped: Self.snapshotColumns) FROM state_snapshots WHERE instance_id = \(instanceID)
                AND tick_seq <= \(seq ?? Int64.max) ORDER BY tick_seq DESC, id DESC LIMIT 1
                """
            ).first.map(Self.snapshot(_:))
        }
    }

    public func snapshots(instanceID: String, limit: Int) throws -> [StateSnapshot] {
        try read("snapshots", instanceID: instanceID) { session in
            try session.rows(
                """
                SELECT \(unescaped: Self.snapshotColumns) FROM state_snapshots WHERE instance_id = \(instanceID)
                ORDER BY id DESC LIMIT \(Int64(max(0, limit)))
                """
            ).map(Self.snapshot(_:))
        }
    }

    /// Not fenced (every node journals the ticks it delivers, under numbers from its own
    /// blocks). One statement: the rows, then the journal head moved past the highest seq (never
    /// back, so it stays past every reserved block too).
    public func appendTicks(_ ticks: [Tick]) throws {
        guard !ticks.isEmpty else { return }
        try read("appendTicks", instanceID: nil) { session in try insertTicks(ticks, session) }
    }

    /// Writes one loop step's ticks, orders, fills, signals and logs in one transaction (the
    /// instances' rows fenced as in their own calls).
    public func appendActivity(_ batch: ActivityBatch) throws {
        let statements = try [
            ordersStatement("appendActivity", batch.orders), fillsStatement("appendActivity", batch.fills),
            signalsStatement("appendActivity", batch.signals), logsStatement("appendActivity", batch.logs),
        ].compactMap { $0 }
        guard !batch.ticks.isEmpty || !statements.isEmpty else { return }
        // Each statement locks its leases in instance order; several statements in one
        // transaction would not, so all of the step's leases are locked first, in that order.
        let leased =
            fencing == nil
            ? []
            : Set(batch.orders.map(\.instanceID) + batch.fills.map(\.instanceID) + batch.signals.map(\.instanceID) + batch.logs.map(\.instanceID))
                .sorted()
        let written = try write("appendActivity", instanceID: nil) { session in
            if !leased.isEmpty {
                try session.rows("SELECT 1 FROM instance_leases WHERE instance_id = ANY(\(leased)::text[]) ORDER BY instance_id FOR SHARE")
            }
            try insertTicks(batch.ticks, session)
            return try statements.map { try $0.run(session) }
        }
        for (statement, count) in zip(statements, written) { countRefused(sent: statement.sent, written: count) }
    }

    /// Journals `ticks` with one statement in `session` (a seq stored before is kept).
    private func insertTicks(_ ticks: [Tick], _ session: PostgresSession) throws {
        guard let highest = ticks.map(\.seq).max() else { return }
        // Optional prices cross as NaN (an array cannot hold NULL here) and are stored as NULL,
        // as SQLite stores a NaN.
        func column(_ value: (Tick) -> Double?) -> [Double] { ticks.map { value($0) ?? .nan } }
        try session.run(
            """
            WITH stored AS (
                INSERT INTO tick_journal (market, seq, ts, price, volume, bid, ask, open, high, low)
                SELECT market, seq, ts, price, nullif(volume, 'NaN'), nullif(bid, 'NaN'), nullif(ask, 'NaN'),
                    nullif(open, 'NaN'), nullif(high, 'NaN'), nullif(low, 'NaN')
                FROM unnest(
                    \(ticks.map(\.market))::text[], \(ticks.map(\.seq))::int8[], \(ticks.map(\.ts))::float8[],
                    \(ticks.map(\.price))::float8[], \(column(\.volume))::float8[], \(column(\.bid))::float8[],
                    \(column(\.ask))::float8[], \(column(\.open))::float8[], \(column(\.high))::float8[],
                    \(column(\.low))::float8[]
                ) AS t(market, seq, ts, price, volume, bid, ask, open, high, low)
                ON CONFLICT DO NOTHING
                RETURNING 1
            )
            UPDATE tick_journal_head SET seq = greatest(seq, \(highest)) WHERE id = 1
            """)
    }

    public func journaledTicks(market: String, after: Int64, through: Int64?, limit: Int) throws -> [Tick] {
        try read("journaledTicks", instanceID: nil) { session in
            try session.rows(
                """
                SELECT \(unescaped: Self.tickColumns) FROM tick_journal WHERE market = \(market) AND seq > \(after)
                AND seq <= \(through ?? Int64.max) ORDER BY seq LIMIT \(Int64(max(0, limit)))
                """
            ).map(Self.tick(_:))
        }
    }

    public func journaledTicks(market: String, through: Int64, last limit: Int) throws -> [Tick] {
        try read("journaledTicks", instanceID: nil) { session in
            try session.rows(
                """
                SELECT * FROM (
                    SELECT \(unescaped: Self.tickColumns) FROM tick_journal WHERE market = \(market) AND seq <= \(through)
                    ORDER BY seq DESC LIMIT \(Int64(max(0, limit)))
                ) AS newest ORDER BY seq
                """
            ).map(Self.tick(_:))
        }
    }

    /// The journal's head: past every journaled tick and every reserved block
    /// (``reserveTickSeqs(_:)``).
    public func lastTickSeq() throws -> Int64 {
        try read("lastTickSeq", instanceID: nil) { session in
            try session.rows("SELECT seq FROM tick_journal_head WHERE id = 1").first?.decode(Int64.self) ?? 0
        }
    }

    public func tickSeq(market: String, atOrBefore ts: Double) throws -> Int64? {
        try read("tickSeq", instanceID: nil) { session in
            // Ticks of one market are journaled in time order: the newest seq whose time is not
            // after `ts` (a scan of the market's range, newest first).
            try session.rows(
                "SELECT seq FROM tick_journal WHERE market = \(market) AND ts <= \(ts) ORDER BY seq DESC LIMIT 1"
            ).first?.decode(Int64.self)
        }
    }

    /// One statement: the markets by a skip scan of the primary key, each market's cut (its
    /// `keepTicks`+1-th newest seq) and newest time by index, then the rows below the cut or too old.
    @discardableResult
    public func pruneJournal(keepTicks: Int, maxAge: Double?) throws -> Int {
        try read("pruneJournal", instanceID: nil) { session in
            try session.run(
                """
                WITH RECURSIVE markets(market) AS (
                    (SELECT market FROM tick_journal ORDER BY market LIMIT 1)
                    UNION ALL
                    SELECT (SELECT t.market FROM tick_journal t WHERE t.market > m.market ORDER BY t.market LIMIT 1)
                    FROM markets m WHERE m.market IS NOT NULL
                ), bounds AS MATERIALIZED (
                    SELECT m.market,
                        (SELECT t.seq FROM tick_journal t WHERE t.market = m.market
                         ORDER BY t.seq DESC LIMIT 1 OFFSET \(Int64(max(1, keepTicks)))) AS cut,
                        (SELECT t.ts FROM tick_journal t WHERE t.market = m.market ORDER BY t.seq DESC LIMIT 1) AS newest
                    FROM markets m WHERE m.market IS NOT NULL
                )
                DELETE FROM tick_journal t USING bounds b
                WHERE t.market = b.market AND (t.seq <= b.cut OR t.ts < b.newest - \(maxAge)::float8)
                """)
        }
    }

    // MARK: Rows

    private static let snapshotColumns =
        "id, instance_id, version, tick_seq, \(PostgresMilliseconds.readSQL("taken_at")), reason, state"

    /// A snapshot from ``snapshotColumns``.
    private static func snapshot(_ row: PostgresRow) throws -> StateSnapshot {
        let (id, instanceID, version, tickSeq, takenAt, reason, state) = try row.decode(
            (Int64, String, String, Int64, Int64, String, ByteBuffer).self)
        guard let reason = StateSnapshot.Reason(rawValue: reason) else {
            throw StoreError(.corruptData, "column reason holds a value the engine cannot read: \(reason.prefix(80))")
        }
        return StateSnapshot(
            id: id, instanceID: instanceID, version: version, tickSeq: tickSeq, takenAt: PostgresMilliseconds.date(takenAt),
            reason: reason, bytes: Array(state.readableBytesView))
    }

    private static let tickColumns = "market, seq, ts, price, volume, bid, ask, open, high, low"

    /// A journaled tick from ``tickColumns``.
    private static func tick(_ row: PostgresRow) throws -> Tick {
        let (market, seq, ts, price, volume, bid, ask, open, high, low) = try row.decode(
            (String, Int64, Double, Double, Double?, Double?, Double?, Double?, Double?, Double?).self)
        var tick = Tick(market: market, ts: ts, price: price, volume: volume, bid: bid, ask: ask, open: open, high: high, low: low)
        tick.seq = seq
        return tick
    }
}
