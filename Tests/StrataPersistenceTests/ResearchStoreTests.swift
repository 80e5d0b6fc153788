import Foundation
import StrataEngine
import StrataPersistence
import StrataPostgres
import StrataRuntime
import Testing

/// The research-run contract (backtests and optimizations the server keeps), the same on both stores.
@Suite struct ResearchStoreTests {
    static func sample(_ id: String, kind: ResearchRun.Kind = .backtest, instance: String? = "a", at seconds: Double, status: ResearchRun.Status = .done)
        -> ResearchRun
    {
        ResearchRun(
            id: id, kind: kind, instanceID: instance, strategyType: "sma_cross", version: "abc123", dataFile: "GOOG.csv",
            parameters: ["cash": .number(1000.5), "fill": .string("close")], status: status, progress: status == .done ? 1 : 0.25,
            createdAt: Date(timeIntervalSince1970: 1_700_000_000 + seconds), startedAt: Date(timeIntervalSince1970: 1_700_000_001 + seconds),
            finishedAt: status.isFinished ? Date(timeIntervalSince1970: 1_700_000_002 + seconds) : nil,
            summary: ["return_pct": .number(1.5), "closed_trades": .integer(3)],
            detail: .object(["trades": .array([.object(["pnl": .number(2.5)])]), "equity_curve": .array([.array([.integer(1), .number(2.5)])])]),
            report: status == .done ? "<!doctype html><p>report</p>" : nil, error: status == .failed ? "boom\ntraceback" : nil)
    }

    @Test(arguments: ReplayTestStores.allCases)
    func aRunIsSavedReplacedReadListedAndDeleted(_ kind: ReplayTestStores) throws {
        // Given a store that keeps research runs
        let opened = try kind.open()
        let store = try #require(opened.store as? any ResearchStore)

        // When a run is saved queued, then replaced by its finished form
        var run = Self.sample("bt-1", at: 0, status: .queued)
        try store.saveResearchRun(run)
        #expect(try store.researchRun(id: "bt-1") == run)
        run = Self.sample("bt-1", at: 0, status: .done)
        try store.saveResearchRun(run)

        // Then reading it gives back every field, to the millisecond
        #expect(try store.researchRun(id: "bt-1") == run)
        #expect(try store.researchReport(id: "bt-1") == "<!doctype html><p>report</p>")
        #expect(try store.researchRun(id: "bt-none") == nil)
        #expect(try store.researchReport(id: "bt-none") == nil)

        // And lists are newest first, by kind and instance, without detail and report
        try store.saveResearchRun(Self.sample("bt-2", instance: "b", at: 10))
        try store.saveResearchRun(Self.sample("opt-1", kind: .optimization, at: 20))
        try store.saveResearchRun(Self.sample("bt-3", instance: nil, at: 30, status: .failed))
        #expect(try store.researchRuns(kind: .backtest, instanceID: nil, limit: 10).map(\.id) == ["bt-3", "bt-2", "bt-1"])
        #expect(try store.researchRuns(kind: .backtest, instanceID: "a", limit: 10) == [run.listed])
        #expect(try store.researchRuns(kind: .backtest, instanceID: nil, limit: 2).map(\.id) == ["bt-3", "bt-2"])
        #expect(try store.researchRuns(kind: .optimization, instanceID: nil, limit: 10).map(\.id) == ["opt-1"])
        #expect(try store.researchRuns(kind: .backtest, instanceID: nil, limit: 10)[0].error == "boom\ntraceback")

        // And deleting says whether there was one
        #expect(try store.deleteResearchRun(id: "bt-2"))
        #expect(try !store.deleteResearchRun(id: "bt-2"))
        #expect(try store.researchRuns(kind: .backtest, instanceID: nil, limit: 10).map(\.id) == ["bt-3", "bt-1"])
    }

    @Test(arguments: ReplayTestStores.allCases)
    func unfinishedRunsAreFailedWhenAServerStarts(_ kind: ReplayTestStores) throws {
        // Given a queued, a running and a done run
        let opened = try kind.open()
        let store = try #require(opened.store as? any ResearchStore)
        try store.saveResearchRun(Self.sample("bt-q", at: 0, status: .queued))
        try store.saveResearchRun(Self.sample("bt-r", at: 1, status: .running))
        try store.saveResearchRun(Self.sample("bt-d", at: 2, status: .done))

        // When a server starts
        let at = Date(timeIntervalSince1970: 1_700_000_100)
        #expect(try store.failUnfinishedResearchRuns(message: ResearchRun.interruptedMessage, at: at) == 2)

        // Then the unfinished ones failed with the message; the done one is as it was
        for id in ["bt-q", "bt-r"] {
            let run = try #require(try store.researchRun(id: id))
            #expect(run.status == .failed && run.error == ResearchRun.interruptedMessage && run.finishedAt == at)
        }
        #expect(try store.researchRun(id: "bt-d") == Self.sample("bt-d", at: 2, status: .done))
        #expect(try store.failUnfinishedResearchRuns(message: "again", at: at) == 0)
    }

    @Test(arguments: ReplayTestStores.allCases)
    func theOldestFinishedRunsOfAKindArePrunedPastTheBound(_ kind: ReplayTestStores) throws {
        // Given one running backtest (the oldest) and an optimization
        let opened = try kind.open()
        let store = try #require(opened.store as? any ResearchStore)
        try store.saveResearchRun(Self.sample("bt-running", at: -1, status: .running))
        try store.saveResearchRun(Self.sample("opt-1", kind: .optimization, at: -2))

        // When more finished backtests than the bound are saved
        for index in 0..<(ResearchRun.keptPerKind + 5) {
            try store.saveResearchRun(Self.sample("bt-\(index)", at: Double(index)))
        }

        // Then the newest finished ones are kept, the running one stays, other kinds are untouched
        let kept = try store.researchRuns(kind: .backtest, instanceID: nil, limit: 1000)
        #expect(kept.count == ResearchRun.keptPerKind + 1)
        #expect(kept.first?.id == "bt-\(ResearchRun.keptPerKind + 4)")
        #expect(try store.researchRun(id: "bt-4") == nil && store.researchRun(id: "bt-5") != nil)
        #expect(try store.researchRun(id: "bt-running") != nil)
        #expect(try store.researchRuns(kind: .optimization, instanceID: nil, limit: 10).count == 1)
    }

    @Test func idsAreURLSafeAndPrefixedByKind() {
        let ids = (0..<50).map { _ in ResearchRun.makeID(kind: .backtest) }
        #expect(Set(ids).count == 50)
        #expect(ids.allSatisfy { $0.hasPrefix("bt-") && $0.count == 19 && $0.dropFirst(3).allSatisfy(\.isHexDigit) })
        #expect(ResearchRun.makeID(kind: .optimization).hasPrefix("opt-"))
    }
}
