import Foundation
import PostgresNIO
import StrataEngine

/// The equity history's tables (migration "v10: equity history"), as the SQLite store holds
/// them: points keyed by scope, name, tier and time, and a summary per scope/name.
enum PostgresEquitySchema {
    static let sql = """
        CREATE TABLE equity_points (
            scope text NOT NULL CHECK (scope IN ('instance', 'account')),
            name text NOT NULL CHECK (name <> ''),
            tier bigint NOT NULL CHECK (tier > 0),
            t double precision NOT NULL,
            equity double precision NOT NULL,
            position double precision NOT NULL,
            realised double precision NOT NULL,
            fees double precision NOT NULL,
            price double precision,
            PRIMARY KEY (scope, name, tier, t)
        );
        CREATE INDEX equity_points_on_tier_t ON equity_points(tier, t);
        CREATE TABLE equity_summaries (
            scope text NOT NULL CHECK (scope IN ('instance', 'account')),
            name text NOT NULL CHECK (name <> ''),
            first_t double precision NOT NULL,
            first_equity double precision NOT NULL,
            last_t double precision NOT NULL,
            last_equity double precision NOT NULL,
            peak double precision NOT NULL,
            max_drawdown_pct double precision NOT NULL CHECK (max_drawdown_pct >= 0),
            PRIMARY KEY (scope, name)
        );
        """
}

// The equity history (see `EquityHistoryStore`). Not fenced: a point is a node's observation
// keyed by its time, and a second copy of one is skipped.
extension PostgresStore {
    public func appendEquityPoints(_ points: [EquityPoint]) throws {
        guard !points.isEmpty else { return }
        try Self.validate(points)
        var batch = PostgresBatch()
        for point in points {
            batch.append(
                [
                    "scope": .text(point.scope.rawValue), "name": .text(point.name), "tier": .integer(Int64(point.tier)),
                    "t": .number(point.t), "equity": .number(point.equity), "position": .number(point.position),
                    "realised": .number(point.realised), "fees": .number(point.fees), "price": .number(point.price),
                ])
        }
        let rounds = Self.summaryRounds(points).map { round in
            var batch = PostgresBatch()
            for point in round {
                batch.append(["scope": .text(point.scope.rawValue), "name": .text(point.name), "t": .number(point.t), "equity": .number(point.equity)])
            }
            return batch.text
        }
        try write("appendEquityPoints", instanceID: nil) { session in
            try session.run(
                """
                INSERT INTO equity_points (scope, name, tier, t, equity, position, realised, fees, price)
                SELECT scope, name, tier, t, equity, position, realised, fees, price
                FROM json_to_recordset(\(batch.text)::json) AS x(scope text, name text, tier bigint, t double precision,
                    equity double precision, position double precision, realised double precision, fees double precision,
                    price double precision)
                ON CONFLICT DO NOTHING
                """)
            // One statement per round: a statement's upsert cannot touch a row twice.
            for round in rounds {
                try session.run(
                    """
                    INSERT INTO equity_summaries AS s (scope, name, first_t, first_equity, last_t, last_equity, peak, max_drawdown_pct)
                    SELECT scope, name, t, equity, t, equity, equity, 0
                    FROM json_to_recordset(\(round)::json) AS x(scope text, name text, t double precision, equity double precision)
                    ON CONFLICT (scope, name) DO UPDATE SET
                        last_t = excluded.last_t, last_equity = excluded.last_equity,
                        peak = GREATEST(s.peak, excluded.last_equity),
                        max_drawdown_pct = GREATEST(s.max_drawdown_pct, CASE
                            WHEN GREATEST(s.peak, excluded.last_equity) > 0
                            THEN (GREATEST(s.peak, excluded.last_equity) - excluded.last_equity) / GREATEST(s.peak, excluded.last_equity) * 100
                            ELSE 0 END)
                    WHERE excluded.last_t > s.last_t
                    """)
            }
        }
    }

    public func equityPoints(scope: EquityScope, name: String, from: Double, to: Double) throws -> EquityRange {
        guard !from.isNaN, !to.isNaN else {
            throw StoreError(.invalidArgument, "from and to must be numbers, got \(from) and \(to)", operation: "equityPoints")
        }
        let lower = max(from, -Double.greatestFiniteMagnitude)
        return try read("equityPoints", instanceID: nil) { session in
            try session.transaction {
                try session.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                let tiers = try session.rows(
                    """
                    SELECT tier, min(t) FROM equity_points WHERE scope = \(scope.rawValue) AND name = \(name)
                    GROUP BY tier ORDER BY tier
                    """
                ).map { try $0.decode((Int64, Double).self) }
                var boundary = Double.greatestFiniteMagnitude
                var pieces: [[EquityPoint]] = []
                var used: [Int] = []
                for (tier, first) in tiers {
                    let points = try session.rows(
                        """
                        SELECT \(unescaped: Self.equityColumns) FROM equity_points
                        WHERE scope = \(scope.rawValue) AND name = \(name) AND tier = \(tier)
                            AND t >= \(lower) AND t <= \(min(to, boundary)) AND t < \(boundary)
                        ORDER BY t
                        """
                    ).map(Self.equityPoint)
                    if !points.isEmpty {
                        pieces.append(points)
                        used.append(Int(tier))
                    }
                    boundary = min(boundary, first)
                }
                return EquityRange(points: pieces.reversed().flatMap { $0 }, tiers: used)
            }
        }
    }

    @discardableResult
    public func pruneEquityPoints(policy: EquityHistoryPolicy, now: Double) throws -> Int {
        guard now.isFinite else {
            throw StoreError(.invalidArgument, "now must be a finite time, got \(now)", operation: "pruneEquityPoints")
        }
        return try write("pruneEquityPoints", instanceID: nil) { session in
            var deleted = 0
            for tier in policy.tiers {
                guard let retention = tier.retention else { continue }
                deleted += try session.run("DELETE FROM equity_points WHERE tier = \(Int64(tier.interval)) AND t < \(now - retention)")
            }
            return deleted
        }
    }

    public func equitySummaries(scope: EquityScope?) throws -> [EquitySummary] {
        try read("equitySummaries", instanceID: nil) { session in
            try session.rows(
                """
                SELECT scope, name, first_t, first_equity, last_t, last_equity, peak, max_drawdown_pct FROM equity_summaries
                WHERE \(scope?.rawValue)::text IS NULL OR scope = \(scope?.rawValue)
                ORDER BY scope, name COLLATE "C"
                """
            ).map { row in
                let (scopeText, name, firstT, firstEquity, lastT, lastEquity, peak, drawdown) = try row.decode(
                    (String, String, Double, Double, Double, Double, Double, Double).self)
                guard let scope = EquityScope(rawValue: scopeText) else { throw PostgresRandomAccessRow.corrupt("scope", scopeText) }
                return EquitySummary(
                    scope: scope, name: name, firstT: firstT, firstEquity: firstEquity, lastT: lastT, lastEquity: lastEquity, peak: peak,
                    maxDrawdownPct: drawdown)
            }
        }
    }

    public func latestEquityPoints() throws -> [EquityPoint] {
        try read("latestEquityPoints", instanceID: nil) { session in
            // The tiers by index seeks (a loose index scan), then one seek per series.
            try session.rows(
                """
                WITH RECURSIVE tiers(tier) AS (
                    SELECT min(tier) FROM equity_points
                    UNION ALL
                    SELECT (SELECT min(p.tier) FROM equity_points AS p WHERE p.tier > tiers.tier) FROM tiers WHERE tiers.tier IS NOT NULL
                )
                SELECT \(unescaped: Self.equityColumns("latest")) FROM equity_summaries AS s
                CROSS JOIN (SELECT tier FROM tiers WHERE tier IS NOT NULL) AS k
                CROSS JOIN LATERAL (
                    SELECT * FROM equity_points AS p WHERE p.scope = s.scope AND p.name = s.name AND p.tier = k.tier
                    ORDER BY p.t DESC LIMIT 1
                ) AS latest
                ORDER BY latest.scope, latest.name COLLATE "C", latest.tier
                """
            ).map(Self.equityPoint)
        }
    }

    /// The columns ``equityPoint(_:)`` reads, in its order.
    private static let equityColumns = equityColumns(nil)

    private static func equityColumns(_ table: String?) -> String {
        let prefix = table.map { $0 + "." } ?? ""
        return ["scope", "name", "tier", "t", "equity", "position", "realised", "fees", "price"].map { prefix + $0 }.joined(separator: ", ")
    }

    private static func equityPoint(_ row: PostgresRow) throws -> EquityPoint {
        let (scopeText, name, tier, t, equity, position, realised, fees, price) = try row.decode(
            (String, String, Int64, Double, Double, Double, Double, Double, Double?).self)
        guard let scope = EquityScope(rawValue: scopeText) else { throw PostgresRandomAccessRow.corrupt("scope", scopeText) }
        return EquityPoint(
            scope: scope, name: name, tier: Int(tier), t: t, equity: equity, position: position, realised: realised, fees: fees, price: price)
    }
}
