import Hummingbird
import StrataEngine
import StrataRuntime

/// The parameters of `GET /api/instances/{id}/equity` and `/api/accounts/{name}/equity`, and
/// the answer (`EquitySeries`) built from the store's points.
struct EquitySeriesQuery: Sendable {
    /// Unix seconds; nil: from the first point.
    var from: Double?
    /// Unix seconds; nil: to the last point.
    var to: Double?
    /// The most points answered: more are thinned evenly, keeping the first and the last.
    var maxPoints = 1_000

    /// The widest times accepted (year 1653 to 5138): beyond, a number is a mistake.
    static let timeBound = 1e11
    static let maxPointsRange = 2...10_000

    /// Reads the query parameters; every bad one is named (400), `from` when it is after `to`.
    init(_ query: inout QueryReader) {
        from = Self.time("from", &query)
        to = Self.time("to", &query)
        maxPoints = query.integer("max_points", in: Self.maxPointsRange, default: 1_000)
        if let from, let to, from > to {
            query.reject("from", "must not be after to (\(Self.shown(from)) > \(Self.shown(to)))")
        }
    }

    init() {}

    /// The request's parameters; 400 naming every bad one.
    static func read(_ request: Request) throws -> EquitySeriesQuery {
        var reader = QueryReader(request)
        let query = EquitySeriesQuery(&reader)
        try reader.check()
        return query
    }

    private static func time(_ name: String, _ query: inout QueryReader) -> Double? {
        if query.rejectEmpty(name) { return nil }
        guard let text = query.string(name) else { return nil }
        // Decimal only: Swift would also read `0x1p4`, `inf` and `nan`.
        guard text.utf8.count <= 32, text.utf8.allSatisfy({ Self.decimal.contains($0) }), let value = Double(text), value.isFinite,
            abs(value) <= timeBound
        else {
            query.reject(name, "must be Unix seconds, a number from -\(Int(timeBound)) to \(Int(timeBound)), got '\(QueryReader.shown(text))'")
            return nil
        }
        return value
    }

    private static let decimal = Set("0123456789.eE+-".utf8)

    private static func shown(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// `EquitySeries` of `range` for `scope`/`name`.
    func series(scope: EquityScope, name: String, range: EquityRange) -> JSONValue {
        let points = Self.thinned(range.points, to: maxPoints)
        return .object([
            "scope": .string(scope.rawValue), "name": .string(name),
            "from": APIJSON.optional(from ?? range.points.first?.t, JSONValue.number),
            "to": APIJSON.optional(to ?? range.points.last?.t, JSONValue.number),
            "resolution_seconds": .array(range.tiers.map { .integer(Int64($0)) }),
            "points": .array(
                points.map { point in
                    .array([
                        .number(point.t), APIJSON.number(point.equity), APIJSON.number(point.position), APIJSON.number(point.realised),
                        APIJSON.number(point.fees),
                    ])
                }),
        ])
    }

    /// At most `limit` (≥ 2) of `points`, evenly spaced by position, the first and the last kept.
    static func thinned<T>(_ points: [T], to limit: Int) -> [T] {
        let limit = max(2, limit)
        guard points.count > limit else { return points }
        let last = points.count - 1
        return (0..<limit).map { index in points[Int((Double(index) * Double(last) / Double(limit - 1)).rounded())] }
    }
}
