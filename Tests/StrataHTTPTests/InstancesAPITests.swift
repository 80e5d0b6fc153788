import Foundation
import StrataEngine
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// The desired-state routes: list, create, show, config, mode — with bad input for each.
    @Suite struct InstancesAPITests {
        @Test func listsFiltersSortsAndPages() async throws {
            try await withAPI { api, fixture in
                // Given instances of two types on two markets, in different modes
                try fixture.seed("b-2", market: "ETH/USD", mode: .off)
                try fixture.seed("a-1", market: "BTC/USD", mode: .off)
                try fixture.seed("c-3", type: "broken_render", market: "BTC/USD", account: "Main Account", mode: .off)
                try fixture.seed("d-4", market: "SOL/USD", mode: .off)
                try fixture.store.saveStatus(InstanceStatus(instanceID: "d-4", state: .error, ticks: 7, pnl: -2))
                try fixture.store.saveStatus(InstanceStatus(instanceID: "b-2", state: .stopped, ticks: 40, pnl: 5))

                let all = try await api.get("/api/instances")
                #expect(all.status == 200)
                #expect(all.json?["total"] == 4)
                #expect(all.json?["instances"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["a-1", "b-2", "c-3", "d-4"])
                let d4 = all.json?["instances"]?.arrayValue?.last
                #expect(d4?["status"] == "error")
                #expect(d4?["ticks"] == 7)
                #expect(d4?["pnl"]?.doubleValue == -2)

                func ids(_ query: String) async throws -> [String] {
                    let answer = try await api.get("/api/instances?\(query)")
                    #expect(answer.status == 200, "\(query): \(answer.text)")
                    return answer.json?["instances"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                }
                // Substring of id, type, market or account, any case; `+` is a space
                #expect(try await ids("q=btc") == ["a-1", "c-3"])
                #expect(try await ids("q=main+account") == ["c-3"])
                #expect(try await ids("q=BROKEN") == ["c-3"])
                #expect(try await ids("strategy_type=widgets") == ["a-1", "b-2", "d-4"])
                #expect(try await ids("status=error") == ["d-4"])
                #expect(try await ids("status=stopped") == ["a-1", "b-2", "c-3"])
                #expect(try await ids("mode=observe").isEmpty)
                #expect(try await ids("sort=ticks&order=desc") == ["b-2", "d-4", "a-1", "c-3"])
                #expect(try await ids("sort=pnl") == ["d-4", "a-1", "c-3", "b-2"])
                #expect(try await ids("sort=market&order=desc") == ["d-4", "b-2", "a-1", "c-3"])
                #expect(try await ids("sort=id&offset=1&limit=2") == ["b-2", "c-3"])
                #expect(try await ids("offset=99").isEmpty)
                #expect(try await ids("unknown=1&_=123") == ["a-1", "b-2", "c-3", "d-4"])
                let page = try await api.get("/api/instances?offset=1&limit=2")
                #expect(page.json?["total"] == 4)
                #expect(page.json?["offset"] == 1)
                #expect(page.json?["limit"] == 2)

                // Every bad parameter is named at once
                let bad = try await api.get("/api/instances?limit=0&offset=-1&sort=nope&order=up&mode=on&status=zzz")
                #expect(bad.status == 400)
                #expect(Set(bad.errorFields) == ["limit", "offset", "sort", "order", "mode", "status"])
                for query in [
                    "limit=1001", "limit=abc", "limit=1.5", "offset=99999999999999999999999", "q=%zz",
                    "q=" + String(repeating: "x", count: 201),
                ] {
                    let answer = try await api.get("/api/instances?\(query)")
                    #expect(answer.status == 400, "\(query)")
                    #expect(answer.errorFields.count == 1, "\(query): \(answer.text)")
                }
            }
        }

        @Test func createsAnInstanceWithDefaultsFilledAndAuditsIt() async throws {
            try await withAPI { api, fixture in
                let created = try await api.post(
                    "/api/instances",
                    [
                        "id": "w-1", "strategy_type": "widgets", "account": "paper", "market": "X/USD", "mode": "off",
                        "config": ["window": 7, "side": "long"],
                    ])
                #expect(created.status == 201)
                #expect(created.headers[.location] == "/api/instances/w-1")
                let detail = try #require(created.json)
                #expect(detail["identity"] == ["id": "w-1", "strategy_type": "widgets", "account": "paper", "market": "X/USD"])
                #expect(detail["mode"] == "off")
                #expect(detail["config"] == ["window": 7, "side": "long", "qty": 0.5, "enabled": true, "note": "hello"])
                #expect(detail["status"]?["state"] == "stopped")
                // The config form's fields, from CONFIG_SCHEMA
                let fields = detail["schema"]?.arrayValue ?? []
                #expect(fields.compactMap { $0["name"]?.stringValue } == ["enabled", "note", "qty", "side", "window"])
                let window = fields.first { $0["name"] == "window" }
                #expect(
                    window == [
                        "name": "window", "type": "integer", "default": 5, "min": 2, "max": 50, "label": "Window",
                        "description": "Ticks in the average",
                    ])
                #expect(fields.first { $0["name"] == "side" }?["values"] == ["both", "long"])
                #expect(fields.first { $0["name"] == "note" }?["label"] == "note")

                // Written through the desired-state path with the actor `api`
                let stored = try #require(try fixture.store.instance(id: "w-1"))
                #expect(stored.config["window"] == 7)
                let audit = try fixture.store.auditLog(instanceID: "w-1")
                #expect(audit.map(\.actor) == [.api])
                #expect(audit.map(\.field) == [.create])

                // An id is generated when missing; mode defaults to off and config to the defaults
                let generated = try await api.post("/api/instances", ["strategy_type": "widgets", "account": "paper", "market": "X/USD"])
                #expect(generated.status == 201)
                let id = try #require(generated.json?["identity"]?["id"]?.stringValue)
                #expect(id.hasPrefix("widgets-") && id.count == "widgets-".count + 8)
                #expect(generated.json?["mode"] == "off")
                #expect(generated.json?["config"]?["window"] == 5)

                // The same id again is a conflict, and nothing changes
                let again = try await api.post("/api/instances", ["id": "w-1", "strategy_type": "widgets", "account": "paper", "market": "Y/USD"])
                #expect(again.status == 409)
                #expect(again.errorFields == ["id"])
                #expect(try fixture.store.instance(id: "w-1")?.market == "X/USD")
            }
        }

        @Test func refusesBadNewInstancesNamingEachField() async throws {
            try await withAPI { api, fixture in
                func refused(_ body: JSONValue, _ status: Int, _ fields: Set<String>, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                    let answer = try await api.post("/api/instances", body, sourceLocation: sourceLocation)
                    #expect(answer.status == status, "\(body.encoded()): \(answer.text)", sourceLocation: sourceLocation)
                    #expect(Set(answer.errorFields) == fields, "\(body.encoded()): \(answer.text)", sourceLocation: sourceLocation)
                }
                let valid: [String: JSONValue] = ["strategy_type": "widgets", "account": "paper", "market": "X/USD"]
                func with(_ changes: [String: JSONValue]) -> JSONValue { .object(valid.merging(changes) { $1 }) }

                // Out-of-range and mistyped config values: 422, each named config.FIELD
                try await refused(
                    with(["config": ["window": 1, "qty": "lots", "side": "short", "enabled": 1, "bogus": true]]), 422,
                    ["config.window", "config.qty", "config.side", "config.enabled", "config.bogus"])
                let range = try await api.post("/api/instances", with(["config": ["window": 51]]))
                #expect(range.message(for: "config.window") == "must be at most 50")
                // A type that is not loaded (unknown, or broken)
                try await refused(with(["strategy_type": "nope"]), 422, ["strategy_type"])
                try await refused(with(["strategy_type": "syntax_error"]), 422, ["strategy_type"])
                // Wrong JSON types, missing keys, unknown keys, bad mode: 400
                try await refused(
                    ["strategy_type": 5, "account": true, "market": ["x"], "mode": "on", "config": "x", "extra": 1], 400,
                    ["strategy_type", "account", "market", "mode", "config", "extra"])
                try await refused([:], 400, ["strategy_type", "account", "market"])
                try await refused(with(["mode": 3]), 400, ["mode"])
                try await refused(with(["account": " paper", "market": ""]), 400, ["account", "market"])
                try await refused(with(["market": .string(String(repeating: "M", count: 101))]), 400, ["market"])
                try await refused(with(["account": "a\u{7}b"]), 400, ["account"])
                for id in ["", "a b", "../x", "..", ".hidden", "-x", "é", "a/b", "x%20y", .init(String(repeating: "a", count: 65)), "\u{0}"] as [String] {
                    try await refused(with(["id": .string(id)]), 400, ["id"])
                }
                try await refused(with(["id": 12]), 400, ["id"])
                // Not JSON, not an object, empty, not UTF-8: the body is named
                for raw in ["{", "[1,2]", "\"x\"", "", "{\"a\":}", "null"] {
                    let answer = try await api.send(.post, "/api/instances", raw: Array(raw.utf8))
                    #expect(answer.status == 400, "\(raw)")
                    #expect(answer.errorFields == ["body"], "\(raw): \(answer.text)")
                }
                let binary = try await api.send(.post, "/api/instances", raw: [0xFF, 0xFE, 0x7B, 0x00])
                #expect(binary.errorFields == ["body"])
                // No or another content type: 415 (a cross-site form cannot post JSON)
                let noType = try await api.send(.post, "/api/instances", raw: Array(with([:]).encoded().utf8), contentType: nil)
                #expect(noType.status == 415)
                #expect(noType.errorFields == ["content-type"])
                let textPlain = try await api.send(.post, "/api/instances", raw: Array(with([:]).encoded().utf8), contentType: "text/plain")
                #expect(textPlain.status == 415)
                // A charset parameter is fine
                let charset = try await api.send(
                    .post, "/api/instances", raw: Array(with(["id": "cs-1"]).encoded().utf8),
                    contentType: "application/json; charset=utf-8")
                #expect(charset.status == 201)
                // Nothing else was created
                #expect(try fixture.store.instances().map(\.id) == ["cs-1"])
            }
        }

        @Test func showsAnInstanceAndAnswers404ForUnknownIDs() async throws {
            try await withAPI { api, fixture in
                try await api.create("s-1", config: ["note": "<b>not html</b>"])
                let shown = try await api.get("/api/instances/s-1")
                #expect(shown.status == 200)
                #expect(shown.json?["config"]?["note"] == "<b>not html</b>")
                #expect(shown.json?["schema_error"] == .null)

                // An instance whose type is not in the folder still shows, with why it has no form
                try fixture.seed("ghost-1", type: "ghost")
                let ghost = try await api.get("/api/instances/ghost-1")
                #expect(ghost.status == 200)
                #expect(ghost.json?["schema"] == [])
                #expect(ghost.json?["schema_error"]?.stringValue?.contains("no strategy type 'ghost'") == true)

                // A CLI-created id with characters the API would not allow is still reachable
                try fixture.seed("odd id/ü")
                #expect(try await api.get("/api/instances/odd%20id%2F%C3%BC").status == 200)

                for path in ["nope", "%E2%98%83", "%zz", "..%2F..%2Fetc", "a%2Fb"] {
                    let answer = try await api.get("/api/instances/\(path)")
                    #expect(answer.status == 404, "\(path)")
                    #expect(answer.errorFields == ["id"], "\(path): \(answer.text)")
                }
                // No id holds a control character or runs past 256 characters: refused before any lookup
                for path in ["%00", "a%0Ab", String(repeating: "x", count: 5000)] {
                    let answer = try await api.get("/api/instances/\(path)")
                    #expect(answer.status == 400, "\(path)")
                    #expect(answer.errorFields == ["id"], "\(path): \(answer.text)")
                }
            }
        }

        @Test func patchesConfigThroughTheSchemaAndAuditsIt() async throws {
            try await withAPI { api, fixture in
                try await api.create("p-1", config: ["window": 9])
                let patched = try await api.patch("/api/instances/p-1/config", ["qty": 2, "note": "changed"])
                #expect(patched.status == 200)
                // (2.0 travels as 2 in JSON)
                #expect(patched.json?["config"] == ["window": 9, "qty": 2, "note": "changed", "enabled": true, "side": "both"])
                // null puts a field back to its default
                let reset = try await api.patch("/api/instances/p-1/config", ["window": nil])
                #expect(reset.json?["config"]?["window"] == 5)
                let audit = try fixture.store.auditLog(instanceID: "p-1")
                #expect(audit.map(\.field) == [.create, .config, .config])
                #expect(audit.allSatisfy { $0.actor == .api })

                // Refused values are named (bare config field names) and nothing is written
                let refused = try await api.patch("/api/instances/p-1/config", ["window": 1, "qty": "x", "side": 3, "enabled": "yes", "nope": 1])
                #expect(refused.status == 422)
                #expect(Set(refused.errorFields) == ["window", "qty", "side", "enabled", "nope"])
                #expect(refused.message(for: "window") == "must be at least 2")
                #expect(try fixture.store.instance(id: "p-1")?.config["window"] == 5)
                #expect(try fixture.store.auditLog(instanceID: "p-1").count == 3)

                for raw in ["[]", "{", "3", ""] {
                    let answer = try await api.send(.patch, "/api/instances/p-1/config", raw: Array(raw.utf8))
                    #expect(answer.status == 400, "\(raw)")
                    #expect(answer.errorFields == ["body"])
                }
                #expect(try await api.patch("/api/instances/nope/config", ["window": 3]).status == 404)
                // A type with no loaded version cannot be configured
                try fixture.seed("ghost-1", type: "ghost")
                let ghost = try await api.patch("/api/instances/ghost-1/config", ["a": 1])
                #expect(ghost.status == 422)
                #expect(ghost.errorFields == ["strategy_type"])
            }
        }

        @Test func setsTheModeAndTheEngineFollows() async throws {
            try await withAPI { api, fixture in
                try await api.create("m-1")
                let observe = try await api.put("/api/instances/m-1/mode", ["mode": "observe"])
                #expect(observe.status == 200)
                #expect(observe.json?["mode"] == "observe")
                try await eventually("m-1 running") { try await api.state("m-1") == "running" }

                // The config change reaches the running script
                try await api.patch("/api/instances/m-1/config", ["note": "after patch"])
                try await eventually("the new note in the widgets") {
                    let ui = try await api.get("/api/instances/m-1/ui")
                    return ui.json?["widgets"]?.arrayValue?.contains { $0["text"] == "after patch" } == true
                }

                #expect(try await api.put("/api/instances/m-1/mode", ["mode": "active"]).json?["mode"] == "active")
                // The same mode again writes nothing
                #expect(try await api.put("/api/instances/m-1/mode", ["mode": "active"]).status == 200)
                #expect(try await api.put("/api/instances/m-1/mode", ["mode": "off"]).status == 200)
                try await eventually("m-1 stopped") { try await api.state("m-1") == "stopped" }
                let audit = try fixture.store.auditLog(instanceID: "m-1")
                #expect(audit.map(\.field) == [.create, .mode, .config, .mode, .mode])
                #expect(audit.allSatisfy { $0.actor == .api })

                for (body, field) in [
                    (["mode": "on"], "mode"), (["mode": 1], "mode"), ([:], "mode"), (["mode": nil], "mode"),
                    (["mode": "off", "force": true], "force"),
                ] as [(JSONValue, String)] {
                    let answer = try await api.put("/api/instances/m-1/mode", body)
                    #expect(answer.status == 400, "\(body.encoded())")
                    #expect(answer.errorFields.contains(field), "\(body.encoded()): \(answer.text)")
                }
                let unknown = try await api.put("/api/instances/nope/mode", ["mode": "off"])
                #expect(unknown.status == 404)
                #expect(try fixture.store.auditLog(instanceID: "m-1").count == 5)
            }
        }
    }
}
