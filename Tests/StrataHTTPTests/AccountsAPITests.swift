import Foundation
import StrataEngine
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// `/api/accounts…`: create, list, show, fund, reset and audit, on a running engine, and every
    /// bad input refused naming its field.
    @Suite struct AccountsAPITests {
        @Test func anAccountIsCreatedFundedAndResetOnTheRunningEngine() async throws {
            try await withAPI { api, _ in
                // Given an account of 10,000 and an instance buying on it
                let created = try await api.post("/api/accounts", ["name": "desk", "starting_cash": 10_000, "base_currency": "USDT"])
                #expect(created.status == 201, "\(created.text)")
                #expect(
                    created.json?["cash"]?.doubleValue == 10_000 && created.json?["kind"] == "paper" && created.json?["base_currency"] == "USDT",
                    "\(created.text)")
                #expect(created.json?["price_source"] == "live" && created.json?["reset_at"] == .null)
                let instance = try await api.post(
                    "/api/instances",
                    ["id": "d-1", "strategy_type": "widgets", "account": "desk", "market": "X/USD", "mode": "active", "config": ["qty": 1]])
                #expect(instance.status == 201, "\(instance.text)")
                try await eventually("a position") {
                    (try await api.get("/api/accounts/desk").json?["positions"]?.arrayValue?.count ?? 0) == 1
                }
                let trading = try #require(try await api.get("/api/accounts/desk").json)
                #expect((trading["cash"]?.doubleValue ?? 0) < 10_000)
                #expect(trading["instances"]?.arrayValue?.first?["id"] == "d-1")
                #expect(trading["positions"]?.arrayValue?.first?["instances"]?.arrayValue?.first?["id"] == "d-1")

                // When it is funded: the base cash grows, the engine's cash follows
                let funded = try await api.post("/api/accounts/desk/fund", ["amount": 2_500])
                #expect(funded.status == 200 && funded.json?["funded"]?.doubleValue == 2_500, "\(funded.text)")
                try await eventually("the funding applied") {
                    let cash = try await api.get("/api/accounts/desk").json?["cash"]?.doubleValue ?? 0
                    return cash > 10_000
                }

                // Then a reset is refused while the instance is active, naming it
                let refused = try await api.post("/api/accounts/desk/reset", [:])
                #expect(refused.status == 409 && refused.message(for: "name")?.contains("d-1") == true, "\(refused.text)")

                // And with it in observe the reset goes through: flat, cash back to the start
                #expect(try await api.put("/api/instances/d-1/mode", ["mode": "observe"]).status == 200)
                let reset = try await api.post("/api/accounts/desk/reset", [:])
                #expect(reset.status == 200 && reset.json?["resets"] == 1 && reset.json?["funded"]?.doubleValue == 0, "\(reset.text)")
                try await eventually("the reset applied") {
                    let account = try await api.get("/api/accounts/desk").json
                    return account?["cash"]?.doubleValue == 10_000 && account?["positions"]?.arrayValue?.isEmpty == true
                }

                // And the list holds it, and the audit has the creation, the funding and the reset
                let list = try await api.get("/api/accounts")
                #expect(list.json?["accounts"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["desk"])
                let audit = try await api.get("/api/accounts/desk/audit").json?["audit"]?.arrayValue ?? []
                #expect(audit.compactMap { $0["field"]?.stringValue } == ["account", "funding", "reset"])
                #expect(audit.allSatisfy { $0["actor"] == "api" })
                #expect(try await api.get("/api/halts").status == 200)
            }
        }

        @Test func withTheEngineStoppedAccountsComeFromTheStoredFills() async throws {
            try await withAPI { api, fixture in
                // Given an account whose instance bought, and an engine that then stopped
                #expect(try await api.post("/api/accounts", ["name": "desk", "starting_cash": 10_000]).status == 201)
                let instance = try await api.post(
                    "/api/instances",
                    ["id": "s-1", "strategy_type": "widgets", "account": "desk", "market": "X/USD", "mode": "active", "config": ["qty": 1]])
                #expect(instance.status == 201, "\(instance.text)")
                try await eventually("a fill") {
                    (try await api.get("/api/instances/s-1/orders").json?["orders"]?.arrayValue?.contains { $0["status"] == "filled" }) == true
                }
                await fixture.stopEngine()

                // When the account is read, funded and listed
                let account = try #require(try await api.get("/api/accounts/desk").json)
                let funded = try await api.post("/api/accounts/desk/fund", ["amount": 100])

                // Then its figures come from the fills, marked at the last fill, and the funding counts
                #expect(account["price_source"] == "last_fill" && account["positions"]?.arrayValue?.count == 1, "\(account)")
                let position = try #require(account["positions"]?.arrayValue?.first)
                #expect(position["last_price"]?.doubleValue != nil)
                #expect(funded.status == 200 && funded.json?["price_source"] == "last_fill")
                #expect(funded.json?["cash"]?.doubleValue == (account["cash"]?.doubleValue ?? 0) + 100)
                #expect(try await api.get("/api/accounts").json?["accounts"]?.arrayValue?.first?["price_source"] == "last_fill")
            }
        }

        @Test func badBodiesAreRefusedNamingTheField() async throws {
            try await withAPI { api, _ in
                #expect(try await api.post("/api/accounts", ["name": "desk"]).status == 201)

                // Creation: wrong types and unknown fields are 400, values out of range 422, a taken name 409
                let cases: [(JSONValue, Int, String)] = [
                    (["name": 5], 400, "name"), ([:], 400, "name"), (["name": "x", "starting_cash": "100"], 400, "starting_cash"),
                    (["name": "x", "extra": true], 400, "extra"), (["name": "x", "base_currency": ["USD"]], 400, "base_currency"),
                    (["name": "x", "starting_cash": -1], 422, "starting_cash"), (["name": "x", "starting_cash": 2e15], 422, "starting_cash"),
                    (["name": "x", "starting_cash": 1e300], 400, "starting_cash"),
                    (["name": "x", "base_currency": "usd"], 422, "base_currency"), (["name": "x", "base_currency": "DOLLARSDOLLARS"], 422, "base_currency"),
                    (["name": "x", "kind": "binance"], 422, "kind"), (["name": "a\u{202E}b"], 400, "name"),
                    (["name": .string(String(repeating: "n", count: 101))], 400, "name"), (["name": "desk"], 409, "name"),
                ]
                for (body, status, field) in cases {
                    let answer = try await api.post("/api/accounts", body)
                    #expect(answer.status == status && answer.errorFields.contains(field), "\(body.encoded()) → \(answer.status) \(answer.text)")
                }

                // Funding: the amount must be a number above 0 and at most 1e15
                let fundings: [(JSONValue, Int)] = [
                    (["amount": 0], 422), (["amount": -5], 422), (["amount": 1.5e15], 422), (["amount": 1e300], 400), (["amount": -0.0], 422),
                    (["amount": "NaN"], 400),
                    (["amount": "Infinity"], 400), (["amount": .null], 400), ([:], 400), (["amount": true], 400), (["amount": [1]], 400),
                ]
                for (body, status) in fundings {
                    let answer = try await api.post("/api/accounts/desk/fund", body)
                    #expect(answer.status == status && answer.errorFields.contains("amount"), "\(body.encoded()) → \(answer.status) \(answer.text)")
                }
                let unknownField = try await api.post("/api/accounts/desk/fund", ["amount": 1, "currency": "EUR"])
                #expect(unknownField.status == 400 && unknownField.errorFields == ["currency"], "\(unknownField.text)")
                let huge = try await api.send(.post, "/api/accounts/desk/fund", raw: Array(#"{"amount": 1e999}"#.utf8))
                #expect(huge.status == 400 || huge.status == 422, "\(huge.text)")
                let capped = try await api.post("/api/accounts/desk/fund", ["amount": 999_999_999_999_999])
                #expect(capped.status == 422 && capped.errorFields == ["amount"], "\(capped.text)")
                #expect(try await api.get("/api/accounts/desk").json?["funded"]?.doubleValue == 0)

                // Unknown accounts are 404 naming them, everywhere
                for (method, uri) in [
                    ("GET", "/api/accounts/ghost"), ("POST", "/api/accounts/ghost/fund"), ("POST", "/api/accounts/ghost/reset"),
                    ("GET", "/api/accounts/ghost/audit"),
                ] {
                    let answer =
                        method == "GET" ? try await api.get(uri) : try await api.post(uri, ["amount": 1])
                    #expect(answer.status == 404 && answer.message(for: "name")?.contains("ghost") == true, "\(uri): \(answer.text)")
                }
                #expect(try await api.get("/api/accounts/a%E2%80%AEb").status == 400)
            }
        }
    }
}
