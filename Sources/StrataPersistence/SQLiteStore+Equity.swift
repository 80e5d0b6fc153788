import Foundation
import GRDB
import StrataEngine

/// The equity history's tables (migration "v10: equity history"): points keyed by scope, name,
/// tier and time (no rowid: the key is the row's order on disk, so one series of one tier is
/// one contiguous range), and a summary per scope/name that the instance list reads alone.
enum EquityHistorySchema {
    static let sqlite = """
        CREATE TABLE equity_points (
            scope TEXT NOT NULL CHECK (scope IN ('instance', 'account')),
            name TEXT NOT NULL CHECK (name <> ''),
            tier INTEGER NOT NULL CHECK (tier > 0),
            t REAL NOT NULL,
            equity REAL NOT NULL,
            position REAL NOT NULL,
            realised REAL NOT NULL,
            fees REAL NOT NULL,
            price REAL,
            PRIMARY KEY (scope, name, tier, t)
        ) WITHOUT ROWID;
        CREATE INDEX equity_points_on_tier_t ON equity_points(tier, t);

        CREATE TABLE equity_summaries (
            scope TEXT NOT NULL CHECK (scope IN ('instance', 'account')),
            name TEXT NOT NULL CHECK (name <> ''),
            first_t REAL NOT NULL,
            first_equity REAL NOT NULL,
            last_t REAL NOT NULL,
            last_equity REAL NOT NULL,
            peak REAL NOT NULL,
            max_drawdown_pct REAL NOT NULL CHECK (max_drawdown_pct >= 0),
            PRIMARY KEY (scope, name)
        ) WITHOUT ROWID;
        """
}

// The equity history (see `EquityHistoryStore`).
extension SQLiteStore {
    public func appendEquityPoints(_ points: [EquityPoint]) throws {
        guard !points.isEmpty else { return }
        try Self.validate(points)
        try write("appendEquityPoints", instanceID: nil) { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO equity_points (scope, name, tier, t, equity, position, realised, fees, price)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """)
            for point in points {
                try insert.execute(arguments: [
                    point.scope.rawValue, point.name, point.tier, point.t, point.equity, point.position, point.realised, point.fees,
                    point.price,
                ])
            }
            // In each statement the right-hand sides read the row as it was: the new peak is
            // computed twice rather than read back.
            let summarize = try db.cachedStatement(
                sql: """
                    INSERT INTO equity_summaries (scope, name, first_t, first_equity, last_t, last_equity, peak, max_drawdown_pct)
                    VALUES (?1, ?2, ?3, ?4, ?3, ?4, ?4, 0)
                    ON CONFLICT (scope, name) DO UPDATE SET
                        last_t = excluded.last_t, last_equity = excluded.last_equity,
                        peak = max(peak, excluded.last_equity),
                        max_drawdown_pct = max(max_drawdown_pct, CASE
                            WHEN max(peak, excluded.last_equity) > 0
                            THEN (max(peak, excluded.last_equity) - excluded.last_equity) / max(peak, excluded.last_equity) * 100
                            ELSE 0 END)
                    WHERE excluded.last_t > equity_summaries.last_t
                    """)
            for round in Self.summaryRounds(points) {
                for point in round {
                    try summarize.execute(arguments: [point.scope.rawValue, point.name, point.t, point.equity])
                }
            }
        }
    }

    public func equityPoints(scope: EquityScope, name: String, from: Double, to: Double) throws -> EquityRange {
        guard !from.isNaN, !to.isNaN else {
            throw StoreError(.invalidArgument, "from and to must be numbers, got \(from) and \(to)", operation: "equityPoints")
        }
        return try read("equityPoints", instanceID: nil) { db in
            let tiers = try Row.fetchAll(
                db, sql: "SELECT tier, min(t) AS first FROM equity_points WHERE scope = ? AND name = ? GROUP BY tier ORDER BY tier",
                arguments: [scope.rawValue, name]
            ).map { (tier: try $0.decode(Int.self, forColumn: "tier"), first: try $0.decode(Double.self, forColumn: "first")) }
            var boundary = Double.greatestFiniteMagnitude
            var pieces: [[EquityPoint]] = []
            var used: [Int] = []
            for tier in tiers {
                let points = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM equity_points WHERE scope = ? AND name = ? AND tier = ? AND t >= ? AND t <= ? AND t < ?
                        ORDER BY t
                        """,
                    arguments: [scope.rawValue, name, tier.tier, max(from, -Double.greatestFiniteMagnitude), min(to, boundary), boundary]
                ).map(EquityPoint.init(row:))
                if !points.isEmpty {
                    pieces.append(points)
                    used.append(tier.tier)
                }
                boundary = min(boundary, tier.first)
            }
            return EquityRange(points: pieces.reversed().flatMap { $0 }, tiers: used)
        }
    }

    @discardableResult
    public func pruneEquityPoints(policy: EquityHistoryPolicy, now: Double) throws -> Int {
        guard now.isFinite else {
            throw StoreError(.invalidArgument, "now must be a finite time, got \(now)", operation: "pruneEquityPoints")
        }
        return try write("pruneEquityPoints", instanceID: nil) { db in
            var deleted = 0
            for tier in policy.tiers {
                guard let retention = tier.retention else { continue }
                try db.execute(sql: "DELETE FROM equity_points WHERE tier = ? AND t < ?", arguments: [tier.interval, now - retention])
                deleted += db.changesCount
            }
            return deleted
        }
    }

    /// Read through a cursor by column index: the instance list reads 10,000 of these per request.
    public func equitySummaries(scope: EquityScope?) throws -> [EquitySummary] {
        try read("equitySummaries", instanceID: nil) { db in
            let columns = "scope, name, first_t, first_equity, last_t, last_equity, peak, max_drawdown_pct"
            let statement = try db.cachedStatement(
                sql: "SELECT \(columns) FROM equity_summaries WHERE ?1 IS NULL OR scope = ?1 ORDER BY scope, name")
            let cursor = try Row.fetchCursor(statement, arguments: [scope?.rawValue])
            var summaries: [EquitySummary] = []
            while let row = try cursor.next() {
                let scopeText = try row.decode(String.self, atIndex: 0)
                guard let scope = EquityScope(rawValue: scopeText) else { throw Row.corrupt("scope", scopeText) }
                summaries.append(
                    EquitySummary(
                        scope: scope, name: try row.decode(atIndex: 1), firstT: try row.decode(atIndex: 2),
                        firstEquity: try row.decode(atIndex: 3), lastT: try row.decode(atIndex: 4), lastEquity: try row.decode(atIndex: 5),
                        peak: try row.decode(atIndex: 6), maxDrawdownPct: try row.decode(atIndex: 7)))
            }
            return summaries
        }
    }

    public func latestEquityPoints() throws -> [EquityPoint] {
        try read("latestEquityPoints", instanceID: nil) { db in
            // The tiers by index seeks (not a scan of every point), then one seek per series.
            var tiers: [Int] = []
            while let tier = try Int.fetchOne(
                db, sql: "SELECT tier FROM equity_points WHERE tier > ? ORDER BY tier LIMIT 1", arguments: [tiers.last ?? 0])
            {
                tiers.append(tier)
            }
            let latest = try db.cachedStatement(
                sql: "SELECT * FROM equity_points WHERE scope = ? AND name = ? AND tier = ? ORDER BY t DESC LIMIT 1")
            var points: [EquityPoint] = []
            for summary in try Row.fetchAll(db, sql: "SELECT scope, name FROM equity_summaries ORDER BY scope, name") {
                let scope: String = try summary.decode(forColumn: "scope")
                let name: String = try summary.decode(forColumn: "name")
                for tier in tiers {
                    if let row = try Row.fetchOne(latest, arguments: [scope, name, tier]) { points.append(try EquityPoint(row: row)) }
                }
            }
            return points
        }
    }
}

extension EquityPoint {
    init(row: Row) throws {
        self.init(
            scope: try row.enumValue("scope"), name: try row.decode(forColumn: "name"), tier: try row.decode(forColumn: "tier"),
            t: try row.decode(forColumn: "t"), equity: try row.decode(forColumn: "equity"),
            position: try row.decode(forColumn: "position"), realised: try row.decode(forColumn: "realised"),
            fees: try row.decode(forColumn: "fees"), price: try row.decode(forColumn: "price"))
    }
}
