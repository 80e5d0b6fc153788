import Foundation
import StrataRuntime
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `strata serve --feed binance:…` as a real process against the local frame server: an
/// instance on the symbol's market receives the trades as ticks, and the feed's status shows them.
@Suite(.serialized) struct ServeBinanceFeedTests {
    /// The built `strata` executable, beside the test bundle in `.build/<triple>/debug/`.
    static let strataBinary: URL? = {
        var folder = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("strata")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return nil
    }()

    @Test func anInstanceOnTheSymbolsMarketReceivesTheTrades() async throws {
        // Given a server that plays 400 BTCUSDT trades, one every 20 ms
        let trades = (1...400).flatMap { id in
            [tradeFrame(id: 1000 + id, price: "\(65000 + id).5", time: 1_718_000_800_000 + Int64(id) * 20), .pause(.milliseconds(20))]
        }
        let server = try await FrameServer(scripts: [trades])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-feed-\(UUID().uuidString)")
        let strategies = folder.appendingPathComponent("strategies")
        try FileManager.default.createDirectory(at: strategies, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
        CONFIG_SCHEMA = {}
        function init() return { n = 0 } end
        function on_tick(tick) state.n = state.n + 1 end
        function render() return { widgets = { { type = "metric", label = "n", value = state.n } } } end
        """.write(to: strategies.appendingPathComponent("counter.lua"), atomically: true, encoding: .utf8)
        let log = folder.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)

        // When strata serve runs with --feed binance:BTCUSDT pointed at it
        let serve = Process()
        serve.executableURL = try #require(Self.strataBinary, "strata binary not found; run swift build first")
        serve.arguments = [
            "serve", "--db", folder.appendingPathComponent("strata.db").path, "--strategies", strategies.path, "--no-demo",
            "--isolation", "none", "--port", "0", "--feed", "binance:btcusdt", "--feed-url", server.baseURL,
        ]
        serve.standardOutput = FileHandle.nullDevice
        serve.standardError = try FileHandle(forWritingTo: log)
        try serve.run()
        defer {
            if serve.isRunning { serve.terminate() }
            serve.waitUntilExit()
        }
        let base = try await dashboardURL(log: log, process: serve)
        // And an instance trades BTCUSDT
        let created = try await request(
            "POST", base, "/api/instances",
            body: [
                "id": .string("btc-1"), "strategy_type": .string("counter"), "account": .string("paper"), "market": .string("BTCUSDT"),
                "mode": .string("observe"),
            ])
        #expect(created?.status == 201, "\(String(describing: created))")

        // Then its ticks arrive: its status counts them, and it shows the feed connected
        var detail: JSONValue?
        let deadline = ContinuousClock.now + .seconds(40)
        while ContinuousClock.now < deadline {
            detail = try await request("GET", base, "/api/instances/btc-1")?.body
            if (detail?["status"]?["ticks"]?.doubleValue ?? 0) >= 20 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect((detail?["status"]?["ticks"]?.doubleValue ?? 0) >= 20, "\(String(describing: detail))")
        #expect(detail?["feed"]?["connection"]?.stringValue == "connected" && detail?["feed"]?["stale"] == .bool(false))
        // And the feed reports its trades for the market, with one connection and nothing malformed
        let feed = try await request("GET", base, "/api/feed")?.body
        let market = feed?["markets"]?.arrayValue?.first
        #expect(market?["market"]?.stringValue == "BTCUSDT" && (market?["ticks"]?.doubleValue ?? 0) >= 20)
        #expect(feed?["connects"]?.doubleValue == 1 && feed?["malformed_frames"]?.doubleValue == 0 && market?["gaps"]?.doubleValue == 0)
        #expect(server.paths == ["/stream?streams=btcusdt@trade/btcusdt@bookTicker"])
        serve.terminate()
        serve.waitUntilExit()
        #expect(serve.terminationStatus == 0, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        await server.stop()
    }

    @Test(arguments: [
        (["--feed", "binance:BTC/USDT"], "symbol 'BTC/USDT'"), (["--feed", "binance:"], "needs symbols"),
        (["--feed", "binance:BTCUSDT", "--feed-url", "http://127.0.0.1:9"], "--feed-url must be"),
        (["--feed", "binance:BTCUSDT", "--feed-stale-after", "nan"], "--feed-stale-after"), (["--feed", "kraken:XBTUSD"], "binance:SYMBOLS"),
    ])
    func badFeedOptionsAreUsageErrorsNamingTheProblem(_ arguments: [String], _ message: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-feed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let serve = Process()
        serve.executableURL = try #require(Self.strataBinary, "strata binary not found; run swift build first")
        serve.arguments =
            ["serve", "--db", folder.appendingPathComponent("strata.db").path, "--strategies", folder.path, "--no-demo", "--port", "0"] + arguments
        serve.standardOutput = FileHandle.nullDevice
        serve.standardError = try FileHandle(forWritingTo: log)
        try serve.run()
        serve.waitUntilExit()
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(serve.terminationStatus == 2 && text.contains(message), "\(text)")
    }

    private func dashboardURL(log: URL, process: Process) async throws -> URL {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, process.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("dashboard: ") }),
                let url = URL(string: String(line.dropFirst("dashboard: ".count)))
            {
                return url
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw FeedProcessError(description: "strata serve did not start listening: \(text.suffix(2000))")
    }

    private func request(_ method: String, _ base: URL, _ path: String, body: [String: JSONValue]? = nil) async throws
        -> (status: Int, body: JSONValue?)?
    {
        guard let url = URL(string: path, relativeTo: base) else { return nil }
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(JSONValue.object(body).encoded().utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let response = response as? HTTPURLResponse else { return nil }
        return (response.statusCode, JSONValue(parsing: String(decoding: data, as: UTF8.self)))
    }
}

struct FeedProcessError: Error, CustomStringConvertible {
    let description: String
}
