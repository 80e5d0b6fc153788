import Foundation
import HTTPTypes
import StrataHTTP
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// Request bodies are read as strictly as docs/api.md says, on every route that takes one:
    /// bounded nesting (whatever its shape), no trailing commas, UTF-8 only, no duplicate keys,
    /// no integers beyond ±2^53.
    @Suite struct JSONBodyTests {
        /// Every route with a body, for an instance that exists.
        static let routes: [(method: HTTPRequest.Method, path: String)] = [
            (.post, "/api/instances"), (.patch, "/api/instances/j-1/config"), (.put, "/api/instances/j-1/mode"),
        ]

        /// `depth` levels of nesting in each shape: arrays, objects, and the two alternating.
        static func nested(depth: Int) -> [(shape: String, text: String)] {
            let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            let objects = String(repeating: "{\"a\":", count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
            var mixed = ""
            for level in 0..<depth { mixed += level % 2 == 0 ? "{\"a\":" : "[" }
            mixed += "1"
            for level in (0..<depth).reversed() { mixed += level % 2 == 0 ? "}" : "]" }
            return [("arrays", arrays), ("objects", objects), ("mixed", mixed)]
        }

        @Test func refusesNestingPastTheBoundInEveryShapeOnEveryRoute() async throws {
            try await withAPI { api, _ in
                try await api.create("j-1")
                for route in Self.routes {
                    for depth in [33, 600, 100_000] {
                        for (shape, text) in Self.nested(depth: depth) {
                            // At the top and inside a member, where a route would look first.
                            for body in depth > 1000 ? [text] : [text, "{\"config\": \(text), \"mode\": \(text)}"] {
                                let answer = try await api.send(route.method, route.path, raw: Array(body.utf8))
                                #expect(answer.status == 400, "\(route.path) \(shape) \(depth)")
                                #expect(answer.errorFields == ["body"], "\(route.path) \(shape) \(depth)")
                                #expect(answer.message(for: "body")?.contains("deeper than 32 levels") == true, "\(answer.text)")
                            }
                        }
                    }
                }
                // 32 levels pass the reader (the schema then refuses what is not a config value)
                for (shape, text) in Self.nested(depth: 31) {
                    let answer = try await api.send(.patch, "/api/instances/j-1/config", raw: Array("{\"window\": \(text)}".utf8))
                    #expect(answer.status == 422, "\(shape): \(answer.text)")
                }
            }
        }

        static func depthThree(_ options: inout APIServerOptions) { options.maxJSONDepth = 3 }

        @Test func theDepthBoundIsAnOption() async throws {
            try await withAPI(tune: Self.depthThree) { api, _ in
                try await api.create("j-1")
                let deep = try await api.send(.patch, "/api/instances/j-1/config", raw: Array("{\"window\": [[[1]]]}".utf8))
                #expect(deep.message(for: "body")?.contains("deeper than 3 levels") == true)
                let fine = try await api.send(.patch, "/api/instances/j-1/config", raw: Array("{\"window\": [[1]]}".utf8))
                #expect(fine.status == 422)
            }
        }

        @Test func refusesTrailingCommasBadUTF8DuplicateKeysAndUnsafeIntegers() async throws {
            try await withAPI { api, fixture in
                try await api.create("j-1")
                let created = try fixture.store.instance(id: "j-1")
                let malformed: [(String, [UInt8])] = [
                    ("trailing comma in an object", Array("{\"mode\": \"off\",}".utf8)),
                    ("trailing comma in an array", Array("{\"mode\": [\"off\",]}".utf8)),
                    ("a lone comma", Array("{,}".utf8)),
                    ("Latin-1 é", Array("{\"mode\": \"".utf8) + [0xE9] + Array("\"}".utf8)),
                    ("an overlong encoding", Array("{\"mode\": \"".utf8) + [0xC0, 0xAF] + Array("\"}".utf8)),
                    ("a UTF-8 surrogate", Array("{\"mode\": \"".utf8) + [0xED, 0xA0, 0x80] + Array("\"}".utf8)),
                    ("a byte-order mark", [0xEF, 0xBB, 0xBF] + Array("{\"mode\": \"off\"}".utf8)),
                    ("UTF-16", Array("{\"mode\": \"off\"}".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
                    ("a lone surrogate escape", Array("{\"mode\": \"\\ud800\"}".utf8)),
                    ("NaN", Array("{\"window\": NaN}".utf8)), ("a comment", Array("{\"mode\": \"off\" /* x */}".utf8)),
                    ("single quotes", Array("{'mode': 'off'}".utf8)),
                ]
                for route in Self.routes {
                    for (name, body) in malformed {
                        let answer = try await api.send(route.method, route.path, raw: body)
                        #expect(answer.status == 400, "\(route.path): \(name) → \(answer.text)")
                        #expect(answer.errorFields == ["body"], "\(route.path): \(name) → \(answer.text)")
                    }
                    let duplicate = try await api.send(route.method, route.path, raw: Array("{\"mode\": \"off\", \"mode\": \"active\"}".utf8))
                    #expect(duplicate.status == 400)
                    #expect(duplicate.errorFields == ["mode"], "\(duplicate.text)")
                    #expect(duplicate.message(for: "mode") == "is a duplicate key")
                }
                // Duplicates and unsafe integers are named by their path
                let nestedDuplicate = try await api.send(
                    .post, "/api/instances", raw: Array("{\"config\": {\"window\": 3, \"window\": 4}}".utf8))
                #expect(nestedDuplicate.errorFields == ["config.window"])
                for number in ["9007199254740993", "-9007199254740993", "18446744073709551616", "99999999999999999999999"] {
                    let answer = try await api.send(.patch, "/api/instances/j-1/config", raw: Array("{\"window\": \(number)}".utf8))
                    #expect(answer.status == 400, "\(number)")
                    #expect(answer.errorFields == ["window"], "\(number)")
                    #expect(answer.message(for: "window")?.contains("beyond ±2^53") == true, "\(answer.text)")
                }
                // 2^53 itself is safe: the schema decides (here: out of the window's range)
                let edge = try await api.send(.patch, "/api/instances/j-1/config", raw: Array("{\"window\": 9007199254740992}".utf8))
                #expect(edge.status == 422)
                // A charset other than UTF-8 is refused before the body is read
                let latin1 = try await api.send(
                    .put, "/api/instances/j-1/mode", raw: Array("{\"mode\": \"off\"}".utf8), contentType: "application/json; charset=latin1")
                #expect(latin1.status == 415)
                #expect(latin1.errorFields == ["content-type"])
                #expect(try fixture.store.instance(id: "j-1") == created, "nothing was written")
            }
        }
    }
}
