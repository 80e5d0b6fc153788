import Foundation
import StrataEngine
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// `GET /api/instances/{id}/performance` and `/api/accounts/{name}/performance` on a live
    /// server on loopback: metrics over the stored equity, round trips from the stored fills,
    /// windows, and every bad parameter named.
    @Suite struct PerformanceAPITests {
        static func fill(_ id: String, instance: String, market: String = "X/USD", _ side: OrderSide, price: Double, at time: Double) -> FillRecord {
            FillRecord(id: id, orderID: id, instanceID: instance, market: market, side: side, quantity: 1, price: price, fee: 0.5, time: time)
        }

        @Test func anInstancesWindowHasTheBacktestsMetricsAndItsRoundTrips() async throws {
            try await withAPI(.live) { api, fixture in
                try fixture.seed("p-1")
                try fixture.seed("p-2", market: "Y/USD")
                // Equity 100,000 → 100,100 → 99,900 → 100,200 at t = 3,600 … 14,400
                let equity = [100_100.0, 99_900, 100_200, 100_200]
                try fixture.store.appendEquityPoints(
                    equity.enumerated().map { index, value in
                        EquityPoint(scope: .instance, name: "p-1", tier: 3_600, t: Double(index + 1) * 3_600, equity: value, position: index < 2 ? 1 : 0)
                    })
                // A long round trip (bought at 10, sold at 12: +2 − 1 of fees), then one still open
                let fills = [
                    Self.fill("o1", instance: "p-1", .buy, price: 10, at: 3_600), Self.fill("o2", instance: "p-1", .sell, price: 12, at: 10_800),
                    Self.fill("o3", instance: "p-1", .sell, price: 12, at: 14_400),
                    Self.fill("o4", instance: "p-2", market: "Y/USD", .buy, price: 5, at: 3_600),
                    Self.fill("o5", instance: "p-2", market: "Y/USD", .sell, price: 4, at: 7_200),
                ]
                try fixture.store.saveOrders(
                    fills.map { fill in
                        var order = Order(
                            id: fill.orderID, instanceID: fill.instanceID, market: fill.market,
                            request: OrderRequest(side: fill.side, quantity: fill.quantity), status: .filled, filledQuantity: fill.quantity,
                            averagePrice: fill.price, fee: fill.fee, createdAt: fill.time)
                        order.filledAt = fill.time
                        return order
                    })
                try fixture.store.appendFills(fills)

                let whole = try await api.get("/api/instances/p-1/performance")
                #expect(whole.status == 200, "\(whole.text)")
                let body = try #require(whole.json)
                #expect(body["scope"] == "instance" && body["name"] == "p-1")
                let metrics = try #require(body["metrics"])
                let expected = PerformanceMetrics(
                    start: 100_000, times: [3_600, 7_200, 10_800, 14_400], equity: equity, pointsInMarket: 2,
                    trades: [], fees: 1.5)
                #expect(metrics["start_equity"]?.doubleValue == 100_000)
                #expect(metrics["return_pct"]?.doubleValue == expected.returnPercent)
                #expect(metrics["max_drawdown_pct"]?.doubleValue == expected.maxDrawdownPercent)
                #expect(metrics["sharpe"]?.doubleValue == expected.sharpe)
                #expect(metrics["exposure_pct"]?.doubleValue == 50)
                #expect(metrics["fees_paid"]?.doubleValue == 1.5)
                #expect(metrics["closed_trades"]?.doubleValue == 1 && metrics["open_trades"]?.doubleValue == 1)
                #expect(metrics["win_rate_pct"]?.doubleValue == 100)
                let trips = try #require(body["round_trips"]?.arrayValue)
                #expect(trips.count == 2)
                #expect(trips.first?["side"] == "long" && trips.first?["pnl"]?.doubleValue == 1 && trips.first?["open"] == false)
                #expect(trips.last?["side"] == "short" && trips.last?["open"] == true)

                // A window starts from the equity just before it and keeps the trips it overlaps
                let window = try #require(try await api.get("/api/instances/p-1/performance?from=10000&to=12000").json)
                #expect(window["metrics"]?["start_equity"]?.doubleValue == 99_900)
                #expect(window["metrics"]?["final_equity"]?.doubleValue == 100_200)
                #expect(window["round_trips"]?.arrayValue?.count == 1)
                #expect(window["metrics"]?["fees_paid"]?.doubleValue == 0.5)

                // The account: both instances' trips, PnL by instance and by market
                let account = try #require(try await api.get("/api/accounts/paper/performance").json)
                #expect(account["scope"] == "account" && account["round_trips"]?.arrayValue?.count == 3)
                #expect(account["round_trips"]?.arrayValue?.compactMap { $0["instance_id"]?.stringValue }.sorted() == ["p-1", "p-1", "p-2"])
                #expect(account["round_trips"]?.arrayValue?.contains { $0["instance_id"] == "p-2" && $0["market"] == "Y/USD" } == true)
                #expect(account["by_instance"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["p-1", "p-2"])
                #expect(account["by_market"]?.arrayValue?.compactMap { $0["pnl"]?.doubleValue } == [1, -2])
                #expect(account["metrics"]?["start_equity"]?.doubleValue == 100_000)

                // No history at all: zeros from the base cash, not an error
                try fixture.seed("p-empty")
                let empty = try #require(try await api.get("/api/instances/p-empty/performance").json)
                #expect(empty["metrics"]?["final_equity"]?.doubleValue == 100_000 && empty["round_trips"] == [])
            }
        }

        @Test func badParametersAndUnknownNamesAreRefusedByName() async throws {
            try await withAPI(.live) { api, fixture in
                try fixture.seed("p-1")
                for (query, field) in [
                    ("from=abc", "from"), ("to=NaN", "to"), ("from=1e400", "from"), ("from=5&to=1", "from"), ("to=", "to"),
                    ("from=\(String(repeating: "9", count: 40))", "from"),
                ] {
                    let answer = try await api.get("/api/instances/p-1/performance?\(query)")
                    #expect(answer.status == 400, "\(query): \(answer.text)")
                    #expect(answer.text.contains(field), "\(query): \(answer.text)")
                }
                #expect(try await api.get("/api/instances/nope/performance").status == 404)
                #expect(try await api.get("/api/accounts/nope/performance").status == 404)
                #expect(try await api.get("/api/accounts/%00/performance").status >= 400)
                #expect(try await api.send(.post, "/api/instances/p-1/performance").status == 405)
            }
        }
    }
}
