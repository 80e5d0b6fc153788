import Foundation
import HTTPTypes
import Hummingbird
import StrataHTTP
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// Tokens, headers, body limits and the dashboard's files (no way out of their folder).
    @Suite struct SecurityTests {
        @Test func aTokenGuardsEveryRouteAndALinkSetsTheCookie() async throws {
            try await withAPI(token: "s3cret-token") { api, fixture in
                for path in ["/api/instances", "/api/strategies", "/api/events", "/metrics", "/", "/app.js", "/api/instances/x", "/nope"] {
                    let none = try await api.get(path, authorize: false)
                    #expect(none.status == 401, "\(path)")
                    #expect(none.errorFields == ["token"], "\(path)")
                    #expect(none.headers[.wwwAuthenticate] == "Bearer")
                    let wrong = try await api.get(path, headers: [.authorization: "Bearer s3cret-tokem"], authorize: false)
                    #expect(wrong.status == 401, "\(path)")
                    let short = try await api.get(path, headers: [.authorization: "Bearer s3cret"], authorize: false)
                    #expect(short.status == 401, "\(path)")
                    let cookie = try await api.get(path, headers: [.cookie: "strata_token=nope"], authorize: false)
                    #expect(cookie.status == 401, "\(path)")
                }
                let body = try await api.send(
                    .post, "/api/instances", json: ["strategy_type": "widgets", "account": "p", "market": "m"],
                    authorize: false)
                #expect(body.status == 401)
                #expect(try fixture.store.instances().isEmpty)

                #expect(try await api.get("/api/instances").status == 200)
                #expect(try await api.get("/api/instances", headers: [.authorization: "bearer s3cret-token"], authorize: false).status == 200)
                #expect(try await api.get("/api/instances", headers: [.cookie: "a=b; strata_token=s3cret-token"], authorize: false).status == 200)

                // The link a browser opens once: a cookie it cannot read from scripts, then the dashboard
                let login = try await api.get("/?token=s3cret-token", authorize: false)
                #expect(login.status == 303)
                #expect(login.headers[.location] == "/")
                #expect(login.headers[.setCookie] == "strata_token=s3cret-token; HttpOnly; SameSite=Strict; Path=/")
                let badLink = try await api.get("/?token=guess", authorize: false)
                #expect(badLink.status == 401)
                #expect(badLink.headers[.setCookie] == nil)
            }
        }

        @Test func bodiesAreCappedAndErrorsCarryTheHeadersToo() async throws {
            try await withAPI(maxBodyBytes: 4096) { api, _ in
                let big = Array(repeating: UInt8(ascii: " "), count: 10_000) + Array("{}".utf8)
                let answer = try await api.send(.post, "/api/instances", raw: big)
                #expect(answer.status == 413)
                #expect(answer.errorFields == ["body"])
                let patch = try await api.send(.patch, "/api/instances/x/config", raw: big)
                #expect([404, 413].contains(patch.status))
            }
            // The default cap is 1 MiB
            try await withAPI { api, _ in
                let padded =
                    "{\"strategy_type\": \"widgets\", \"account\": \"p\", \"market\": \"m\", \"pad\": \"" + String(repeating: "x", count: 1_100_000) + "\"}"
                let answer = try await api.send(.post, "/api/instances", raw: Array(padded.utf8))
                #expect(answer.status == 413)
            }
        }

        @Test func servesTheDashboardWithContentTypesAndNothingOutsideIt() async throws {
            try await withAPI { api, _ in
                let expectations: [(String, String)] = [
                    ("/", "text/html; charset=utf-8"), ("/index.html", "text/html; charset=utf-8"),
                    ("/app.js", "text/javascript; charset=utf-8"), ("/sub/part.mjs", "text/javascript; charset=utf-8"),
                    ("/style.css", "text/css; charset=utf-8"), ("/icon.svg", "image/svg+xml"), ("/pixel.png", "image/png"),
                    ("/vendor/chart.js/chart.mjs", "text/javascript; charset=utf-8"),
                ]
                for (path, type) in expectations {
                    let answer = try await api.get(path)
                    #expect(answer.status == 200, "\(path)")
                    #expect(answer.headers[.contentType] == type, "\(path)")
                }
                #expect(try await api.get("/").text.contains("<title>Strata</title>"))
                for path in [
                    "/../secret.txt", "/%2e%2e/secret.txt", "/sub/%2E%2E/%2E%2E/secret.txt", "/sub/..%2F..%2Fsecret.txt",
                    "/leak/secret.txt", "/leak", "/sub", "/sub/", "/%2Fetc%2Fpasswd", "/..%5C..%5Csecret.txt", "/nope.html",
                    "/vendor/chart.js/../../secret.txt", "/vendor/chart.js/%2e%2e/dashboard/index.html", "/vendor/chart.js/",
                    "/index.html%00.png", "/%C0%AE%C0%AE/secret.txt", "/\u{2603}",
                ] {
                    let answer = try await api.get(path)
                    #expect(answer.status == 404, "\(path)")
                    #expect(!answer.text.contains("top secret"), "\(path)")
                }
                // Unknown API routes are JSON 404s, never the dashboard
                for path in ["/api/nope", "/api/instances/x/nope", "/api/"] {
                    let answer = try await api.get(path)
                    #expect(answer.status == 404, "\(path)")
                    #expect(answer.headers[.contentType] == "application/json; charset=utf-8")
                    #expect(answer.errorFields == ["path"], "\(path): \(answer.text)")
                }
                // A method a route does not have is a JSON 405 naming the methods it has
                for (method, path, allowed) in [
                    (HTTPRequest.Method.delete, "/api/instances", "GET, POST, HEAD"), (.post, "/api/strategies", "GET, HEAD"),
                    (.options, "/api/instances/x/mode", "PUT"), (.trace, "/metrics", "GET, HEAD"), (.get, "/api/instances/x/config", "PATCH"),
                ] {
                    let answer = try await api.send(method, path)
                    #expect(answer.status == 405, "\(method) \(path)")
                    #expect(answer.headers[.allow] == allowed, "\(method) \(path)")
                    #expect(answer.errorFields == ["method"], "\(method) \(path): \(answer.text)")
                }
            }
        }

        @Test func theBundledDashboardIsFoundWithoutAnOverride() {
            let folder = APIServer.bundledDashboard
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("index.html").path), "\(folder.path)")
        }

        @Test func optionsKnowLoopbackHostsAndSafeTokens() {
            for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"] { #expect(APIServerOptions.isLoopback(host), "\(host)") }
            for host in ["0.0.0.0", "192.168.1.2", "::", "example.com", "127.0.0.1.evil.com", "1270.0.0.1"] {
                #expect(!APIServerOptions.isLoopback(host), "\(host)")
            }
            #expect(APIServerOptions.isValidToken("abc-DEF_123.~+/="))
            for token in ["", "a b", "a;b", "a\"b", "tök", String(repeating: "a", count: 513)] { #expect(!APIServerOptions.isValidToken(token)) }
            #expect(APIServerOptions(host: "::1").url(port: 9) == "http://[::1]:9/")
            #expect(APIServerOptions().url(port: 8080) == "http://127.0.0.1:8080/")
        }
    }
}
