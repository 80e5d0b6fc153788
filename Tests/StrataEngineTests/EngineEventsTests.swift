import Foundation
import StrataPersistence
import StrataRuntime
import Testing

@testable import StrataEngine

/// What other threads see of a running engine: jobs on its thread, the strategy catalog, live
/// events; and config edits shared by the CLI and the API.
@Suite struct EngineEventsTests {
    static let script = """
        CONFIG_SCHEMA = { step = { type = "integer", default = 1, min = 1, max = 10 },
                          side = { type = "enum", values = { "long", "short" }, default = "long" } }
        function init() return { n = 0 } end
        function on_tick(tick)
          state.n = state.n + 1
          context.log("tick " .. state.n)
        end
        function render() return { widgets = { { type = "metric", label = "n", value = state.n } } } end
        """

    @Test func performRunsOnTheEngineThreadAndEventsArrive() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-events-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.script.write(to: folder.appendingPathComponent("counter.lua"), atomically: true, encoding: .utf8)
        try "this is not lua".write(to: folder.appendingPathComponent("broken.lua"), atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        let engine = Engine(store: store, library: StrategyLibrary(directory: folder))
        let loop = EngineLoop(engine: engine, feed: SyntheticFeed(markets: [], rate: 200, start: Date().timeIntervalSince1970))
        let stream = loop.events.subscribe(.init(instanceID: "c1", kinds: [.status, .log]))
        await #expect(throws: EngineLoopError.self) { try await loop.perform { _ in 1 } }
        loop.start()
        do {
            try await Self.check(loop, store: store, stream: stream)
        } catch {
            await loop.stop()
            throw error
        }
        await loop.stop()
    }

    private static func check(_ loop: EngineLoop, store: SQLiteStore, stream: AsyncStream<EngineEvent>) async throws {
        _ = try store.createInstance(
            InstanceIdentity(id: "c1", strategyType: "counter", account: "paper", market: "X/USD"),
            mode: .observe, config: [:], actor: .cli)
        var kinds: Set<EngineEvent.Kind> = []
        for await event in stream {
            #expect(event.instanceID == "c1")
            kinds.insert(event.kind)
            if kinds == [.status, .log] { break }
        }
        let rendered = try await loop.perform { engine in engine.render(instanceID: "c1") }
        guard case .success(let output) = rendered else {
            Issue.record("render failed: \(String(describing: rendered))")
            return
        }
        #expect((output["widgets"]?.arrayValue?.first?["value"]?.doubleValue ?? 0) >= 1)
        #expect(try await loop.perform { engine in engine.render(instanceID: "nobody") } == nil)
        let catalog = loop.catalog
        #expect(catalog.entries["counter"]?.schema?.field("step")?.max == 10)
        #expect(catalog.entries["broken"]?.version == nil)
        #expect(catalog.entries["broken"]?.problem != nil)
        if case .success = catalog.schema(for: "broken") { Issue.record("a broken type has no schema") }
        if case .success = catalog.schema(for: "nothing") { Issue.record("an unknown type has no schema") }
    }

    @Test func configEditsMergeResetAndNameEveryBadField() throws {
        let schema = ConfigSchema(fields: [
            ConfigField(name: "step", kind: .integer, defaultValue: .integer(1), min: 1, max: 10),
            ConfigField(name: "side", kind: .enum, defaultValue: .string("long"), values: ["long", "short"]),
        ])
        let current: [String: JSONValue] = ["step": .integer(5), "side": .string("short"), "gone": .bool(true)]
        #expect(try ConfigEdit.merge(["step": .integer(7)], into: current, schema: schema).get() == ["step": .integer(7), "side": .string("short")])
        #expect(try ConfigEdit.merge(["side": .null], into: current, schema: schema).get() == ["step": .integer(5), "side": .string("long")])
        guard case .failure(let errors) = ConfigEdit.merge(["step": .integer(11), "side": .string("up"), "x": .integer(1)], into: current, schema: schema)
        else {
            Issue.record("expected refusal")
            return
        }
        #expect(errors.fields.map(\.field).sorted() == ["side", "step", "x"])
    }

    @Test func aHubDropsTheOldestEventsOfASlowReaderAndForgetsEndedStreams() async {
        let hub = EventHub()
        #expect(!hub.wants(.log))
        var stream: AsyncStream<EngineEvent>? = hub.subscribe(.init(kinds: [.log]), buffer: 2)
        #expect(hub.wants(.log) && !hub.wants(.order))
        hub.publish(
            (1...5).map { EngineEvent(instanceID: "i\($0)", payload: .log(InstanceLogEntry(instanceID: "i\($0)", time: 0, level: .info, message: "m"))) })
        var seen: [String] = []
        for await event in stream! {
            seen.append(event.instanceID)
            if seen.count == 2 { break }
        }
        #expect(seen == ["i4", "i5"])
        stream = nil
        #expect(hub.subscriberCount == 0)
    }
}
