import Foundation
import StrataRuntime
import Testing

@testable import StrataHTTP

extension StrataHTTPSuite {
    /// Control, bidirectional-formatting and other invisible characters are refused in every
    /// identifier, wherever it enters: the create body, path parameters, query filters.
    @Suite struct IdentifierTests {
        /// Each refused kind: raw, and percent-encoded for a URL.
        static let refused: [(name: String, text: String, encoded: String)] = [
            ("right-to-left override", "a\u{202E}b", "a%E2%80%AEb"), ("left-to-right isolate", "a\u{2066}b", "a%E2%81%A6b"),
            ("right-to-left mark", "a\u{200F}b", "a%E2%80%8Fb"), ("arabic letter mark", "a\u{061C}b", "a%D8%9Cb"),
            ("zero-width space", "a\u{200B}b", "a%E2%80%8Bb"), ("byte-order mark", "a\u{FEFF}b", "a%EF%BB%BFb"),
            ("bell", "a\u{07}b", "a%07b"), ("escape", "a\u{1B}[31mb", "a%1B%5B31mb"), ("delete", "a\u{7F}b", "a%7Fb"),
            ("C1 control", "a\u{85}b", "a%C2%85b"), ("line separator", "a\u{2028}b", "a%E2%80%A8b"),
            ("noncharacter", "a\u{FFFF}b", "a%EF%BF%BFb"), ("private use", "a\u{E000}b", "a%EE%80%80b"),
        ]

        @Test func createRefusesThemInAccountMarketAndStrategyType() async throws {
            try await withAPI { api, fixture in
                for (name, text, _) in Self.refused {
                    for field in ["account", "market", "strategy_type"] {
                        var body: [String: JSONValue] = ["strategy_type": "widgets", "account": "paper", "market": "X/USD"]
                        body[field] = .string(text)
                        let answer = try await api.post("/api/instances", .object(body))
                        #expect(answer.status == 400, "\(field) with a \(name)")
                        #expect(answer.errorFields == [field], "\(field) with a \(name): \(answer.text)")
                    }
                    let id = try await api.post("/api/instances", ["id": .string(text), "strategy_type": "widgets", "account": "p", "market": "m"])
                    #expect(id.errorFields == ["id"], "id with a \(name)")
                }
                #expect(try fixture.store.instances().isEmpty)
                // Letters of any script are names like any other
                let answer = try await api.post("/api/instances", ["strategy_type": "widgets", "account": "Zürich ×2 日本", "market": "ETH/€"])
                #expect(answer.status == 201)
            }
        }

        @Test func theOpenAPIPatternsAreExactlyTheServersRules() throws {
            let schemas = OpenAPIContract.shared.document["components"]?["schemas"]
            #expect(schemas?["Name"]?["pattern"]?.stringValue == IdentifierCharacters.namePattern)
            #expect(schemas?["IdentifierText"]?["pattern"]?.stringValue == IdentifierCharacters.textPattern)
            #expect(schemas?["Name"]?["maxLength"] == .integer(Int64(NewInstanceRequest.maxNameLength)))
        }

        @Test func pathsAndQueryFiltersRefuseThemToo() async throws {
            try await withAPI { api, _ in
                for (name, _, encoded) in Self.refused {
                    for suffix in ["", "/orders", "/signals", "/logs", "/audit", "/ui"] {
                        let answer = try await api.get("/api/instances/\(encoded)\(suffix)")
                        #expect(answer.status == 400, "\(suffix) with a \(name)")
                        #expect(answer.errorFields == ["id"], "\(suffix) with a \(name)")
                    }
                    #expect(try await api.patch("/api/instances/\(encoded)/config", ["window": 3]).errorFields == ["id"], "\(name)")
                    #expect(try await api.put("/api/instances/\(encoded)/mode", ["mode": "off"]).errorFields == ["id"], "\(name)")
                    for query in ["strategy_type", "q"] {
                        let answer = try await api.get("/api/instances?\(query)=\(encoded)")
                        #expect(answer.status == 400, "\(query) with a \(name)")
                        #expect(answer.errorFields == [query], "\(query) with a \(name)")
                    }
                    let events = try await api.get("/api/events?instance=\(encoded)")
                    #expect(events.status == 400, "instance with a \(name)")
                    #expect(events.errorFields == ["instance"])
                }
                // Overlong identifiers in paths and filters are refused too
                let long = String(repeating: "i", count: 257)
                #expect(try await api.get("/api/instances/\(long)").errorFields == ["id"])
                #expect(try await api.get("/api/instances?strategy_type=\(long)").errorFields == ["strategy_type"])
                #expect(try await api.get("/api/events?instance=\(long)").errorFields == ["instance"])
            }
        }
    }
}
