import Foundation
import StrataEngine
import StrataHTTP
import StrataPersistence
import StrataRuntime
import Synchronization
import Testing

extension StrataHTTPSuite {
    /// The research runner the backtest (and optimization) endpoints share: queueing, progress
    /// events, the saved record, failures and cancellation, on a real store.
    @Suite struct ResearchRunsTests {
        final class Scratch: @unchecked Sendable {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-research-\(UUID().uuidString)")
            let store: SQLiteStore
            let hub = EventHub()
            init() throws {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
            }
            deinit { try? FileManager.default.removeItem(at: folder) }
        }

        /// A flag a test opens once.
        final class Gate: Sendable {
            private let value = Mutex(false)
            func open() { value.withLock { $0 = true } }
            var isOpen: Bool { value.withLock { $0 } }
        }

        static func record(_ id: String) -> ResearchRun {
            ResearchRun(id: id, kind: .backtest, instanceID: "i-1", strategyType: "t", version: "v", dataFile: "f.csv")
        }

        static func waitFor(_ what: String, _ condition: () throws -> Bool) async throws {
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                if try condition() { return }
                try await Task.sleep(for: .milliseconds(10))
            }
            Issue.record("timed out waiting for \(what)")
        }

        @Test func runsWaitForASlotReportProgressAndEndDoneFailedOrCancelled() async throws {
            let scratch = try Scratch()
            let runs = ResearchRuns(store: scratch.store, events: scratch.hub, maxRunning: 1)
            let events = scratch.hub.subscribe(EventHub.Filter(kinds: [.research]))
            let release = Gate()

            // Given a run that reports progress quickly until released
            let first = try runs.start(Self.record("bt-1")) { progress in
                var step = 0
                while !release.isOpen && !progress.isCancelled {
                    step += 1
                    progress.report(fraction: 0.5, extra: .integer(Int64(step)))
                    Thread.sleep(forTimeInterval: 0.001)
                }
                return ResearchOutcome(summary: ["steps": .integer(Int64(step))], detail: .array([]), report: "<p>r</p>")
            }
            #expect(first.status == .queued)

            // When a second and a third are started behind it (one slot)
            try runs.start(Self.record("bt-2")) { _ in throw StoreError(.database, "boom") }
            try runs.start(Self.record("bt-3")) { _ in ResearchOutcome(error: "bad script\ntraceback") }
            try await Self.waitFor("bt-1 running") { runs.current(id: "bt-1")?.progress == 0.5 }
            #expect(runs.current(id: "bt-2")?.status == .queued)
            #expect(try scratch.store.researchRun(id: "bt-1")?.status == .running)
            try await Task.sleep(for: .milliseconds(300))
            release.open()

            // Then each ends as its work did, saved
            try await Self.waitFor("all ended") { runs.unfinished == 0 }
            let done = try #require(try scratch.store.researchRun(id: "bt-1"))
            #expect(done.status == .done && done.progress == 1 && done.report == "<p>r</p>" && done.startedAt != nil && done.finishedAt != nil)
            #expect(try scratch.store.researchRun(id: "bt-2")?.status == .failed)
            #expect(try scratch.store.researchRun(id: "bt-2")?.error?.contains("boom") == true)
            let failed = try #require(try scratch.store.researchRun(id: "bt-3"))
            #expect(failed.status == .failed && failed.error == "bad script\ntraceback")

            // And the events of bt-1 are throttled (at most ~10 a second), carry the extras, and end with the final one
            var seen: [JSONValue] = []
            for await event in events {
                guard case .research(let body) = event.payload else { continue }
                if body["id"] == "bt-1" { seen.append(body) }
                if body["id"] == "bt-3", body["status"] == "failed" { break }
            }
            let progressEvents = seen.filter { $0["status"] == "running" && $0["extra"] != nil }
            #expect(progressEvents.count >= 2 && progressEvents.count <= 6, "\(progressEvents.count) progress events in ~0.3 s")
            #expect(progressEvents.allSatisfy { ($0["extra"]?.arrayValue?.count ?? 0) >= 1 })
            #expect(seen.first?["status"] == "queued" && seen.last?["status"] == "done")
            #expect(seen.last?["summary"]?["steps"] != nil)
        }

        @Test func cancellingStopsTheWorkAndKeepsWhatItHad() async throws {
            let scratch = try Scratch()
            let runs = ResearchRuns(store: scratch.store, events: scratch.hub, maxRunning: 2)
            try runs.start(Self.record("bt-c")) { progress in
                while !progress.isCancelled { Thread.sleep(forTimeInterval: 0.005) }
                return ResearchOutcome(summary: ["partial": true])
            }
            try await Self.waitFor("running") { runs.current(id: "bt-c")?.status == .running }
            #expect(runs.cancel(id: "bt-c")?.id == "bt-c")
            try await Self.waitFor("ended") { runs.unfinished == 0 }
            let run = try #require(try scratch.store.researchRun(id: "bt-c"))
            #expect(run.status == .cancelled && run.error == "cancelled" && run.summary == ["partial": true])
            #expect(runs.cancel(id: "bt-c") == nil)
        }
    }
}
