import Foundation
import HTTPTypes
import Hummingbird
import StrataRuntime
import Testing

@testable import StrataHTTP

extension StrataHTTPSuite {
    /// schemas/openapi.yaml is the contract: every operation it lists is exercised here, and every
    /// answer (in every test) is checked against it by ``APIClient``.
    @Suite struct OpenAPIConformanceTests {
        /// One request per operation of the document, with the answer expected; bad-input variants
        /// live in the route tests.
        static let table: [(method: HTTPRequest.Method, uri: String, body: JSONValue?, status: Int)] = [
            (.get, "/api/instances?sort=pnl&order=desc&limit=5", nil, 200),
            (.post, "/api/instances", ["id": "c-2", "strategy_type": "widgets", "account": "paper", "market": "X/USD"], 201),
            (.get, "/api/instances/c-1", nil, 200),
            (.patch, "/api/instances/c-1/config", ["window": 10], 200),
            (.put, "/api/instances/c-1/mode", ["mode": "observe"], 200),
            (.get, "/api/instances/c-1/ui", nil, 200),
            (.get, "/api/instances/c-1/orders?limit=10", nil, 200),
            (.get, "/api/instances/c-1/signals", nil, 200),
            (.get, "/api/instances/c-1/logs", nil, 200),
            (.get, "/api/instances/c-1/audit", nil, 200),
            (.get, "/api/instances/c-1/why?seq=1", nil, 200),
            (.get, "/api/strategies", nil, 200),
            (.get, "/api/nodes", nil, 200),
            (.get, "/api/events?types=nope", nil, 400),
            (.get, "/metrics", nil, 200),
            (.put, "/api/instances/c-1/shadow", ["config": ["window": 7]], 200),
            (.get, "/api/instances/c-1/shadow", nil, 200),
            (.delete, "/api/instances/c-1/shadow", nil, 204),
            (.put, "/api/instances/c-1/shadow", ["config": ["window": 8]], 200),
            (.post, "/api/instances/c-1/shadow/promote", nil, 200),
            (.get, "/api/data-files", nil, 200),
            (.post, "/api/backtests", ["instance_id": "nope", "data": "GOOG.csv"], 404),
            (.get, "/api/backtests?instance_id=c-1&limit=5", nil, 200),
            (.get, "/api/backtests/bt-0000000000000000", nil, 404),
            (.get, "/api/backtests/bt-0000000000000000/report", nil, 404),
            (.post, "/api/backtests/bt-0000000000000000/cancel", nil, 404),
            (.delete, "/api/backtests/bt-0000000000000000", nil, 404),
            (.get, "/api/strategies/widgets/parameters", nil, 200),
            (.get, "/api/feed", nil, 200),
            (.put, "/api/instances/c-1/risk", ["max_position": 2, "max_orders_per_minute": 30], 200),
            (.get, "/api/instances/c-1/risk", nil, 200),
            (.put, "/api/accounts/paper/risk", ["max_daily_loss": 100], 200),
            (.get, "/api/accounts/paper/risk", nil, 200),
            (.post, "/api/halt", ["reduce_only": true], 200),
            (.get, "/api/halts", nil, 200),
            (.post, "/api/resume", [:], 200),
            (.post, "/api/optimizations", ["strategy_type": "widgets", "data": "../x.csv"], 400),
            (.get, "/api/optimizations?strategy_type=widgets&limit=5", nil, 200),
            (.get, "/api/optimizations/opt-0000000000000000", nil, 404),
            (.get, "/api/optimizations/opt-0000000000000000/report", nil, 404),
            (.post, "/api/optimizations/opt-0000000000000000/cancel", nil, 404),
            (.delete, "/api/optimizations/opt-0000000000000000", nil, 404),
            (.post, "/api/webhooks", ["url": "http://127.0.0.1:9/hook", "events": ["fill", "notify"], "secret": "s3cret"], 201),
            (.get, "/api/webhooks", nil, 200),
            (.get, "/api/webhooks/1/deliveries?limit=5", nil, 200),
            (.delete, "/api/webhooks/1", nil, 204),
            (.post, "/api/accounts", ["name": "desk", "starting_cash": 5_000], 201),
            (.get, "/api/accounts", nil, 200),
            (.get, "/api/accounts/desk", nil, 200),
            (.post, "/api/accounts/desk/fund", ["amount": 250], 200),
            (.post, "/api/accounts/desk/reset", nil, 200),
            (.get, "/api/accounts/desk/audit", nil, 200),
            (.get, "/api/instances/c-1/equity?max_points=50", nil, 200),
            (.get, "/api/accounts/paper/equity?from=0&to=1", nil, 200),
            (.get, "/api/instances/c-1/performance", nil, 200),
            (.get, "/api/accounts/paper/performance?from=0&to=1", nil, 200),
        ]

        @Test func theDocumentParsesAndEveryOperationIsExercised() async throws {
            let contract = OpenAPIContract.shared
            #expect(contract.document["openapi"] == "3.0.3")
            let operations = contract.operations.map { "\($0.method.uppercased()) \($0.path)" }
            #expect(operations.count == 55)
            let exercised = Set(
                Self.table.compactMap { row in
                    contract.template(for: String(row.uri.split(separator: "?")[0])).map { "\(row.method.rawValue) \($0)" }
                })
            #expect(Set(operations) == exercised, "not exercised: \(Set(operations).subtracting(exercised))")

            // Every $ref points somewhere, and every response names a schema or a described body.
            func refs(_ value: JSONValue) -> [String] {
                switch value {
                case .object(let object): return (object["$ref"]?.stringValue.map { [$0] } ?? []) + object.values.flatMap(refs)
                case .array(let items): return items.flatMap(refs)
                default: return []
                }
            }
            for pointer in Set(refs(contract.document)) {
                #expect(contract.resolve(.object(["$ref": .string(pointer)])) != .null, "\(pointer) does not resolve")
            }

            try await withAPI { api, _ in
                try await api.create("c-1")
                for row in Self.table {
                    let answer = try await api.send(row.method, row.uri, json: row.body)
                    #expect(
                        answer.status == row.status || (row.uri.hasSuffix("/ui") && answer.status == 409),
                        "\(row.method) \(row.uri): \(answer.text.prefix(300))")
                }
            }
        }

        /// The 405 middleware's routes are the document's, so a method a documented path lacks is
        /// 405 with `Allow`, never 404, on every path (a new route cannot be forgotten there).
        @Test func aMethodAPathLacksIs405OnEveryDocumentedPath() async throws {
            let contract = OpenAPIContract.shared
            let documented = Set(
                contract.operations.map { operation in
                    let segments = operation.path.split(separator: "/").map { $0.hasPrefix("{") ? "*" : String($0) }
                    return "\(operation.method.uppercased()) /\(segments.joined(separator: "/"))"
                })
            let routed = Set(
                MethodNotAllowedMiddleware<BasicRequestContext>.routes.flatMap { route in
                    route.methods.map { "\($0.rawValue) /\(route.segments.joined(separator: "/"))" }
                })
            #expect(routed == documented, "only routed: \(routed.subtracting(documented)); only documented: \(documented.subtracting(routed))")

            try await withAPI { api, _ in
                for path in Set(contract.operations.map(\.path)).sorted() {
                    let uri = path.replacingOccurrences(of: "{id}", with: "x-1").replacingOccurrences(of: "{type}", with: "widgets")
                    for method in [HTTPRequest.Method(rawValue: "TRACE")!, .options] {
                        let answer = try await api.send(method, uri)
                        #expect(answer.status == 405 && answer.headers[.allow]?.isEmpty == false, "\(method) \(uri): \(answer.status)")
                    }
                }
            }
        }

        @Test func theValidatorCatchesDrift() {
            let contract = OpenAPIContract.shared
            let errors = contract.ref("#/components/schemas/Errors")
            #expect(contract.validate(["errors": [["field": "x", "message": "y"]]], schema: errors, at: "ok").isEmpty)
            #expect(!contract.validate(["errors": [["field": "x"]]], schema: errors, at: "missing").isEmpty)
            #expect(!contract.validate(["errors": [], "extra": 1], schema: errors, at: "undeclared").isEmpty)
            #expect(!contract.validate(["errors": "x"], schema: errors, at: "type").isEmpty)
            let summary = contract.ref("#/components/schemas/InstanceSummary")
            let row: JSONValue = [
                "id": "a", "strategy_type": "t", "account": "p", "market": "m", "mode": "off", "status": "running",
                "ticks": 1, "pnl": 0.5, "error": nil, "return_pct": nil, "max_drawdown_pct": 2.5,
            ]
            #expect(contract.validate(row, schema: summary, at: "row").isEmpty)
            #expect(!contract.validate(.object(row.objectValue!.merging(["mode": "on"]) { $1 }), schema: summary, at: "enum").isEmpty)
            #expect(!contract.validate(.object(row.objectValue!.merging(["ticks": nil]) { $1 }), schema: summary, at: "null").isEmpty)
            #expect(contract.problems(method: "GET", uri: "/api/strategies", status: 418, contentType: nil, body: "").count == 1)
        }
    }
}
