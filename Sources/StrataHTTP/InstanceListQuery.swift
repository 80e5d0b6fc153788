import StrataEngine
import StrataRuntime

/// One page of the instance list: filter, sort and page, done in memory over the whole
/// desired and observed state (ten thousand rows take a few milliseconds).
struct InstanceListQuery: Sendable {
    enum SortKey: String, CaseIterable, Sendable {
        case id, strategy_type, market, account, mode, status, ticks, pnl, return_pct, max_drawdown_pct
    }

    enum Order: String, CaseIterable, Sendable {
        case asc, desc
    }

    /// Case-insensitive substring of id, strategy type, market or account.
    var text: String?
    var mode: InstanceMode?
    var status: InstanceStatus.State?
    var strategyType: String?
    var sort: SortKey = .id
    var order: Order = .asc
    var offset = 0
    var limit = 100

    /// The longest `q` accepted.
    static let maxTextLength = 200

    /// Reads the query parameters; every bad one is named (400).
    init(_ query: inout QueryReader) {
        text = query.string("q")
        if let text, text.unicodeScalars.count > Self.maxTextLength {
            query.reject("q", "must be at most \(Self.maxTextLength) characters")
        } else if let text, let problem = IdentifierCharacters.problem(text) {
            query.reject("q", problem)
        }
        mode = query.choice("mode", InstanceMode.self)
        status = query.choice("status", InstanceStatus.State.self)
        strategyType = query.identifier("strategy_type")
        sort = query.choice("sort", SortKey.self) ?? .id
        order = query.choice("order", Order.self) ?? .asc
        offset = query.integer("offset", in: 0...(1 << 53), default: 0)
        limit = query.integer("limit", in: 1...1000, default: 100)
    }

    init() {}

    /// The matching rows (with their statuses), sorted, and their total before paging.
    /// - Parameter summaries: the instances' equity summaries by id (for the return and
    ///   drawdown keys; an instance without one sorts last whichever the order).
    func run(
        records: [InstanceRecord], statuses: [InstanceStatus], summaries: [String: EquitySummary] = [:]
    ) -> (page: [(InstanceRecord, InstanceStatus?)], total: Int) {
        let byID = Dictionary(statuses.map { ($0.instanceID, $0) }, uniquingKeysWith: { first, _ in first })
        let needle = text?.lowercased()
        var rows: [(InstanceRecord, InstanceStatus?)] = []
        rows.reserveCapacity(records.count)
        for record in records {
            let status = byID[record.id]
            if let mode, record.mode != mode { continue }
            if let strategyType, record.strategyType != strategyType { continue }
            if let wanted = self.status, (status?.state ?? .stopped) != wanted { continue }
            if let needle, !Self.matches(record, needle) { continue }
            rows.append((record, status))
        }
        let ascending = order == .asc
        if let figure = Self.figure(sort) {
            // Each row's figure read once (not two lookups per comparison); nulls last both
            // ways: only the figures themselves follow the order.
            var keyed = rows.map { row in (row: row, key: summaries[row.0.id].flatMap(figure)) }
            keyed.sort { a, b in
                switch (a.key, b.key) {
                case (nil, nil): return a.row.0.id < b.row.0.id
                case (nil, _): return false
                case (_, nil): return true
                case (let x?, let y?) where x != y: return ascending ? x < y : x > y
                default: return a.row.0.id < b.row.0.id
                }
            }
            rows = keyed.map(\.row)
        } else {
            rows.sort { a, b in
                let ordered = Self.compare(a, b, by: sort)
                if ordered != 0 { return ascending ? ordered < 0 : ordered > 0 }
                // Ties stay in id order whichever way the key sorts, so pages are stable.
                return a.0.id < b.0.id
            }
        }
        let start = min(offset, rows.count)
        let end = min(start + limit, rows.count)
        return (Array(rows[start..<end]), rows.count)
    }

    private static func matches(_ record: InstanceRecord, _ needle: String) -> Bool {
        record.id.lowercased().contains(needle) || record.strategyType.lowercased().contains(needle)
            || record.market.lowercased().contains(needle) || record.account.lowercased().contains(needle)
    }

    /// The summary figure a key sorts by (nil: the key is not one).
    private static func figure(_ key: SortKey) -> (@Sendable (EquitySummary) -> Double?)? {
        switch key {
        case .return_pct: { $0.returnPct }
        case .max_drawdown_pct: { $0.maxDrawdownPct.isFinite ? $0.maxDrawdownPct : nil }
        default: nil
        }
    }

    /// -1, 0 or 1 by one key (ids break ties in the caller).
    private static func compare(_ a: (InstanceRecord, InstanceStatus?), _ b: (InstanceRecord, InstanceStatus?), by key: SortKey) -> Int {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        switch key {
        case .id: return sign(a.0.id, b.0.id)
        case .strategy_type: return sign(a.0.strategyType, b.0.strategyType)
        case .market: return sign(a.0.market, b.0.market)
        case .account: return sign(a.0.account, b.0.account)
        case .mode: return sign(modeRank(a.0.mode), modeRank(b.0.mode))
        case .status: return sign((a.1?.state ?? .stopped).rawValue, (b.1?.state ?? .stopped).rawValue)
        case .ticks: return sign(a.1?.ticks ?? 0, b.1?.ticks ?? 0)
        case .pnl:
            // NaN sorts as 0 so that the order stays total.
            let x = a.1?.pnl ?? 0
            let y = b.1?.pnl ?? 0
            return sign(x.isNaN ? 0 : x, y.isNaN ? 0 : y)
        case .return_pct, .max_drawdown_pct: return 0  // sorted by the caller
        }
    }

    /// off < observe < active: the order of how much an instance may do.
    private static func modeRank(_ mode: InstanceMode) -> Int {
        switch mode {
        case .off: 0
        case .observe: 1
        case .active: 2
        }
    }
}
