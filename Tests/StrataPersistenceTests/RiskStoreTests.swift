import Foundation
import StrataEngine
import StrataRuntime
import Testing

/// The risk gate's desired state (limits, halts: audited, moving the change token) and the
/// engine's day marks, the same on both stores.
@Suite struct RiskStoreTests {
    @Test(arguments: ReplayTestStores.allCases)
    func instanceLimitsAreSetReplacedAndRemovedWithAnAuditEntryEachTime(_ kind: ReplayTestStores) throws {
        // Given two instances
        let opened = try kind.open()
        let store = opened.store
        try opened.createInstances(["a", "b"])
        let before = try store.changeToken()

        // When limits are set, replaced, set again unchanged, then removed
        let first = RiskLimits(maxPosition: 2, maxOrdersPerMinute: 10)
        try store.setRiskLimits(instanceID: "a", to: first, actor: .cli)
        #expect(try store.changeToken() != before)
        #expect(try store.riskSettings().instanceLimits == ["a": first])
        let second = RiskLimits(maxOrderNotional: 1_000, maxDailyLoss: 50)
        try store.setRiskLimits(instanceID: "a", to: second, actor: "http")
        try store.setRiskLimits(instanceID: "a", to: second, actor: "http")
        #expect(try store.riskSettings().instanceLimits == ["a": second])
        try store.setRiskLimits(instanceID: "a", to: .none, actor: .cli)

        // Then nothing is left, and each change is audited as `risk` (the repeat is no change)
        #expect(try store.riskSettings().instanceLimits.isEmpty)
        let audit = try opened.auditLog("a").filter { $0.field == .risk }
        #expect(audit.map(\.actor) == [.cli, "http", .cli])
        #expect(audit.map { limits($0.old) } == [RiskLimits.none, first, second])
        #expect(audit.map { limits($0.new) } == [first, second, RiskLimits.none])

        // And an unknown instance is refused
        let error = #expect(throws: StoreError.self) { try store.setRiskLimits(instanceID: "ghost", to: first, actor: .cli) }
        #expect(error?.code == .notFound)
    }

    @Test(arguments: ReplayTestStores.allCases)
    func accountLimitsAndHaltsAreDesiredStateInTheControlAudit(_ kind: ReplayTestStores) throws {
        // Given an account `paper`
        let opened = try kind.open()
        let store = opened.store
        try opened.createInstances(["a"])
        let limits = RiskLimits(maxPosition: 5)
        try store.setRiskLimits(account: "paper", to: limits, actor: .cli)
        #expect(try store.riskSettings().accountLimits == ["paper": limits])

        // When every account is halted, then the account is put on reduce-only
        let token = try store.changeToken()
        var halts = try store.setHalt(account: nil, to: .halted, actor: .api)
        #expect(try store.changeToken() != token)
        #expect(halts.map(\.state) == [.halted] && halts[0].account == nil && halts[0].actor == .api)
        halts = try store.setHalt(account: "paper", to: .reduceOnly, actor: .cli)
        #expect(halts.map(\.account) == [nil, "paper"])

        // Then the settings say so, the stricter halt applying
        var settings = try store.riskSettings()
        #expect(settings.globalHalt == .halted && settings.accountHalts == ["paper": .reduceOnly])
        #expect(settings.halt(for: "paper") == .halted && settings.halt(for: "other") == .halted)

        // And lifting the global halt leaves the account's; halting twice changes nothing
        try store.setHalt(account: nil, to: .trading, actor: .api)
        try store.setHalt(account: "paper", to: .reduceOnly, actor: .cli)
        settings = try store.riskSettings()
        #expect(settings.globalHalt == .trading && settings.halt(for: "paper") == .reduceOnly)

        // And every change is in the control audit, oldest first
        let audit = try store.controlAudit(limit: 10)
        #expect(audit.map(\.field) == [.risk, .halt, .halt, .halt])
        #expect(audit.map(\.account) == ["paper", nil, "paper", nil])
        #expect(audit[1].old == .string("trading") && audit[1].new == .string("halted"))
        #expect(audit[3].new == .string("trading"))
        #expect(try store.controlAudit(limit: 1).map(\.id) == [audit[3].id])

        // And unknown accounts are refused
        let error = #expect(throws: StoreError.self) { try store.setHalt(account: "ghost", to: .halted, actor: .cli) }
        #expect(error?.code == .notFound)
        #expect(throws: StoreError.self) { try store.setRiskLimits(account: "ghost", to: limits, actor: .cli) }
    }

    @Test(arguments: ReplayTestStores.allCases)
    func dayMarksAndRefusedSignalsKeepWhatTheGateSaid(_ kind: ReplayTestStores) throws {
        let opened = try kind.open()
        let store = opened.store
        try opened.createInstances(["a"])

        // Day marks are replaced by key
        try store.saveRiskDayMarks([RiskDayMark(key: "i:a", day: 20_000, pnl: -1.5), RiskDayMark(key: "a:paper:BTC-USD", day: 20_000, pnl: 3)])
        try store.saveRiskDayMarks([RiskDayMark(key: "i:a", day: 20_001, pnl: -4)])
        #expect(try store.riskDayMarks() == [RiskDayMark(key: "a:paper:BTC-USD", day: 20_000, pnl: 3), RiskDayMark(key: "i:a", day: 20_001, pnl: -4)])

        // A signal keeps the rule that refused it
        let request = OrderRequest(side: .buy, quantity: 3)
        try store.appendSignals([
            SignalRecord(instanceID: "a", request: request, time: 1, price: 10, reason: "refused by risk: instance max_position (|3| > 2)", rule: .maxPosition),
            SignalRecord(instanceID: "a", request: request, time: 2, price: 10),
        ])
        let signals = try store.signals(instanceID: "a", limit: 10)
        #expect(signals.map(\.rule) == [.maxPosition, nil])
    }

    /// Audited limits read back (JSON numbers may come back as integers).
    private func limits(_ value: JSONValue?) -> RiskLimits? {
        guard let value, case .success(let limits) = RiskLimits.parse(value) else { return nil }
        return limits
    }
}
