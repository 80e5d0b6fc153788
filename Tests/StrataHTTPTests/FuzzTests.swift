import Foundation
import HTTPTypes
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// Garbage in, never a 5xx out: random bodies, query strings and paths against every route
    /// (each answer passes the client's checks: no 5xx, security headers, declared status and schema).
    @Suite struct FuzzTests {
        /// SplitMix64: a small seeded generator, so a failure can be replayed.
        struct Generator: RandomNumberGenerator {
            var state: UInt64
            mutating func next() -> UInt64 {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
        }

        static let fragments = [
            "{", "}", "[", "]", "\"", ":", ",", "null", "true", "-1", "1e999", "0.5", "\"mode\"", "\"observe\"",
            "\"config\"", "\"window\"", "\"strategy_type\"", "\"widgets\"", "\\u0000", "\u{FEFF}", "é", "💥", " ",
            "\"id\"", "\"../x\"", "9223372036854775808", "-0", "NaN", "\"\\ud800\"", "{\"a\":", "]]]]",
        ]

        static func randomJSON(_ generator: inout Generator, depth: Int = 0) -> JSONValue {
            switch Int.random(in: 0..<(depth > 3 ? 5 : 8), using: &generator) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &generator))
            case 2: return .integer(Int64.random(in: .min ... .max, using: &generator))
            case 3: return .number([0.5, -1e300, 1e-320, 3.25, -0.0].randomElement(using: &generator)!)
            case 4:
                return .string(
                    ["", "x", "observe", "active", "<script>", "widgets", "\u{0}", String(repeating: "a", count: 300)]
                        .randomElement(using: &generator)!)
            case 5: return .array((0..<Int.random(in: 0...3, using: &generator)).map { _ in randomJSON(&generator, depth: depth + 1) })
            default:
                let keys = ["id", "strategy_type", "account", "market", "mode", "config", "window", "qty", "enabled", "side", "note", "x"]
                return .object(
                    Dictionary(
                        (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                            (keys.randomElement(using: &generator)!, randomJSON(&generator, depth: depth + 1))
                        }, uniquingKeysWith: { first, _ in first }))
            }
        }

        static func randomBody(_ generator: inout Generator) -> [UInt8] {
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: return (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            case 1: return Array((0..<Int.random(in: 1...12, using: &generator)).map { _ in fragments.randomElement(using: &generator)! }.joined().utf8)
            case 2: return Array(String(repeating: "[", count: Int.random(in: 1...5000, using: &generator)).utf8)
            default: return Array(randomJSON(&generator).encoded().utf8)
            }
        }

        static func randomQuery(_ generator: inout Generator) -> String {
            let names = ["q", "mode", "status", "strategy_type", "sort", "order", "offset", "limit", "instance", "types", "seq", "x", "%", "&&", "="]
            let values = [
                "", "1", "-1", "0", "1001", "abc", "%", "%zz", "%FF", "%00", "+", "observe", "pnl", "desc", "status,log", "💥",
                "%E2%98%83", "99999999999999999999", "a=b", String(repeating: "z", count: 300),
            ]
            return (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                "\(names.randomElement(using: &generator)!)=\(values.randomElement(using: &generator)!)"
            }.joined(separator: ["&", "&&", ";"].randomElement(using: &generator)!)
        }

        @Test func randomBodiesQueriesAndPathsNeverGiveA5xx() async throws {
            try await withAPI { api, fixture in
                try await api.create("f-1")
                var generator = Generator(state: 20_261_129)
                let ids = ["f-1", "nope", "%E2%98%83", "%zz", "..", "%2e%2e", "f-1%00", "a%2Fb", String(repeating: "i", count: 300)]
                for _ in 0..<120 {
                    let id = ids.randomElement(using: &generator)!
                    let body = Self.randomBody(&generator)
                    let contentType = ["application/json", nil, "text/plain", "application/json; charset=latin1", "APPLICATION/JSON"]
                        .randomElement(using: &generator)!
                    try await api.send(.post, "/api/instances", raw: body, contentType: contentType)
                    try await api.send(.patch, "/api/instances/\(id)/config", raw: body, contentType: contentType)
                    try await api.send(.put, "/api/instances/\(id)/mode", raw: body, contentType: contentType)
                }
                for _ in 0..<60 {
                    let query = Self.randomQuery(&generator)
                    let id = ids.randomElement(using: &generator)!
                    try await api.get("/api/instances?\(query)")
                    try await api.get("/api/instances/\(id)?\(query)")
                    for route in ["orders", "signals", "logs", "audit", "ui", "why"] {
                        try await api.get("/api/instances/\(id)/\(route)?\(query)")
                    }
                    try await api.get("/api/strategies?\(query)")
                    try await api.get("/metrics?\(query)")
                    // Only refused event streams answer at once; others stream until closed.
                    try await api.get("/api/events?types=nope&\(query)")
                }
                // Whatever was accepted went through validation: every stored config is valid.
                let schema = try #require(try fixture.loop.catalog.schema(for: "widgets").get())
                for record in try fixture.store.instances() where record.strategyType == "widgets" {
                    #expect((try? schema.validate(record.config).get()) == record.config, "\(record.id)")
                }
            }
        }
    }
}
