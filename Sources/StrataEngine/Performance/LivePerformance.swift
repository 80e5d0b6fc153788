import StrataRuntime

/// A live instance's or account's performance over a window of its recorded history: the
/// metrics ``PerformanceMetrics`` computes for a backtest, from the recorded equity points, and
/// the round trips rebuilt from the stored fills (each instance's fills booked in order through a
/// ``PositionBook``, as the paper broker booked them). A value with no I/O.
public struct LivePerformance: Sendable {
    /// One recorded point of the series.
    public struct Point: Sendable, Equatable {
        public var time: Double
        public var equity: Double
        public var position: Double

        public init(time: Double, equity: Double, position: Double) {
            self.time = time
            self.equity = equity
            self.position = position
        }
    }

    /// Realised PnL (net of fees) and fees of the round trips closed in the window, per group.
    public struct Contribution: Sendable, Equatable {
        public var key: String
        public var pnl = 0.0
        public var fees = 0.0
        public var trades = 0
    }

    /// A round trip and the instance (and market) that made it.
    public struct Trip: Sendable, Equatable {
        public var instanceID: String
        public var market: String
        public var roundTrip: RoundTrip
    }

    public var metrics: PerformanceMetrics
    /// Round trips open at some time in the window, by entry time.
    public var roundTrips: [Trip]
    /// Per instance id (an account's window; one entry for an instance's).
    public var byInstance: [Contribution]
    /// Per market.
    public var byMarket: [Contribution]

    /// - Parameters:
    ///   - points: the window's points, ascending by time.
    ///   - start: equity before the window (the base cash when the window starts with the history).
    ///   - fills: every fill of the instances in scope since their account's last reset, in the
    ///     order they were booked (fills outside the window still build its round trips).
    ///   - from, to: the window (nil: open-ended).
    public init(points: [Point], start: Double, fills: [FillRecord], from: Double?, to: Double?) {
        let lower = from ?? -.infinity
        let upper = to ?? .infinity
        var books: [String: PositionBook] = [:]
        var markets: [String: String] = [:]
        var fees = 0.0
        for fill in fills {
            books[fill.instanceID, default: PositionBook()].apply(
                signedQuantity: fill.side == .buy ? fill.quantity : -fill.quantity, price: fill.price, fee: fill.fee, time: fill.time)
            markets[fill.instanceID] = fill.market
            if fill.time >= lower && fill.time <= upper { fees += fill.fee }
        }
        var trips: [Trip] = []
        var instances: [String: Contribution] = [:]
        var byMarket: [String: Contribution] = [:]
        for (id, book) in books {
            let all = book.closedTrades + (book.openTrade.map { [$0] } ?? [])
            let market = markets[id] ?? ""
            for trip in all where trip.entryTime <= upper && (trip.isOpen || (trip.exitTime ?? upper) >= lower) {
                trips.append(Trip(instanceID: id, market: market, roundTrip: trip))
                guard !trip.isOpen else { continue }
                Self.add(trip, to: &instances[id, default: Contribution(key: id)])
                Self.add(trip, to: &byMarket[market, default: Contribution(key: market)])
            }
        }
        trips.sort { a, b in
            (a.roundTrip.entryTime, a.roundTrip.exitTime ?? .infinity, a.instanceID) < (b.roundTrip.entryTime, b.roundTrip.exitTime ?? .infinity, b.instanceID)
        }
        roundTrips = trips
        byInstance = instances.values.sorted { $0.key < $1.key }
        self.byMarket = byMarket.values.sorted { $0.key < $1.key }
        metrics = PerformanceMetrics(
            start: start, times: points.map(\.time), equity: points.map(\.equity),
            pointsInMarket: points.reduce(0) { $0 + ($1.position != 0 ? 1 : 0) }, trades: trips.map(\.roundTrip), fees: fees)
    }

    private static func add(_ trip: RoundTrip, to contribution: inout Contribution) {
        contribution.pnl += trip.pnl
        contribution.fees += trip.fees
        contribution.trades += 1
    }
}
