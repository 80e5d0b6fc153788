import StrataEngine
import Testing

/// The equity history's tiers and when each records: a value type, tested without I/O.
@Suite struct EquityHistoryPolicyTests {
    /// 10 s kept 100 s, 60 s kept 1,000 s, 600 s for ever; pruned every 50 s.
    static let small = try! EquityHistoryPolicy(
        tiers: [.init(interval: 10, retention: 100), .init(interval: 60, retention: 1_000), .init(interval: 600, retention: nil)],
        pruneInterval: 50)

    @Test func theFirstTimeRecordsEveryTierThenEachTierWhenItEntersANewInterval() {
        var schedule = EquityRecordingSchedule(policy: Self.small)
        func due(_ t: Double) -> [Int] { schedule.due(at: t) }
        func pruneDue(_ t: Double) -> Bool { schedule.pruneDue(at: t) }

        // Given a first time: every tier is due
        #expect(due(1_205) == [10, 60, 600])
        #expect(schedule.nextDue == 1_210)

        // When time moves within the finest interval, nothing is due (and asking again is not due)
        #expect(due(1_209.99).isEmpty)
        #expect(due(1_205).isEmpty)

        // Then crossing 10 s records the finest tier only; crossing a minute, two tiers
        #expect(due(1_210) == [10])
        #expect(due(1_219) == [])
        #expect(due(1_260) == [10, 60])
        #expect(schedule.nextDue == 1_270)

        // And a jump over many intervals records each tier once; the hour tier at 1,800
        #expect(due(1_805) == [10, 60, 600])
        #expect(schedule.nextDue == 1_810)
    }

    @Test func timeGoingBackwardsOrNotBeingANumberIsNeverDue() {
        var schedule = EquityRecordingSchedule(policy: Self.small)
        func due(_ t: Double) -> [Int] { schedule.due(at: t) }
        func pruneDue(_ t: Double) -> Bool { schedule.pruneDue(at: t) }
        #expect(due(.nan).isEmpty)
        #expect(due(.infinity).isEmpty)
        #expect(due(100) == [10, 60, 600])
        #expect(due(50).isEmpty)
        #expect(due(-1e300).isEmpty)
        #expect(due(110) == [10])
    }

    @Test func pruningIsDueAtMostOncePerPruneInterval() {
        var schedule = EquityRecordingSchedule(policy: Self.small)
        func due(_ t: Double) -> [Int] { schedule.due(at: t) }
        func pruneDue(_ t: Double) -> Bool { schedule.pruneDue(at: t) }
        #expect(pruneDue(1_000))
        #expect(!pruneDue(1_049))
        #expect(pruneDue(1_050))
        #expect(!pruneDue(900))
        #expect(!pruneDue(.nan))
    }

    @Test func theStandardPolicyIsAMinuteTwoDaysAnHourNinetyDaysADayForEver() throws {
        let standard = EquityHistoryPolicy.standard
        #expect(standard.tiers.map(\.interval) == [60, 3_600, 86_400])
        #expect(standard.tiers.map(\.retention) == [172_800, 7_776_000, nil])
        #expect(standard.pruneInterval == 3_600)
        let fine = try EquityHistoryPolicy.standard(finestInterval: 5)
        #expect(fine.tiers[0] == .init(interval: 5, retention: 14_400))
        #expect(fine.tiers.dropFirst() == standard.tiers.dropFirst())
    }

    @Test(arguments: [0, -1, 3_600, Int.max, Int.min])
    func aFinestIntervalOutsideOneSecondToAnHourIsRefused(_ interval: Int) {
        let error = #expect(throws: EquityHistoryPolicyError.self) { try EquityHistoryPolicy.standard(finestInterval: interval) }
        #expect(error?.description.contains("1 to 3599 seconds") == true)
    }

    @Test func badTiersAreRefusedNamingTheTier() {
        func problem(_ tiers: [EquityHistoryPolicy.Tier], prune: Double = 3_600) -> String? {
            do {
                _ = try EquityHistoryPolicy(tiers: tiers, pruneInterval: prune)
                return nil
            } catch {
                return String(describing: error)
            }
        }
        #expect(problem([])?.contains("at least one tier") == true)
        #expect(problem([.init(interval: 60, retention: nil), .init(interval: 60, retention: nil)])?.contains("tier 2") == true)
        #expect(problem([.init(interval: 60, retention: nil), .init(interval: 30, retention: nil)])?.contains("must increase") == true)
        #expect(problem([.init(interval: 60, retention: 59)])?.contains("at least its interval") == true)
        #expect(problem([.init(interval: 60, retention: .nan)]) != nil)
        #expect(problem([.init(interval: 60, retention: .infinity)]) != nil)
        #expect(problem([.init(interval: 0, retention: nil)])?.contains("tier 1") == true)
        #expect(problem([.init(interval: 60, retention: nil)], prune: .nan)?.contains("prune interval") == true)
        #expect(problem(Array(repeating: .init(interval: 1, retention: nil), count: 9))?.contains("at most 8") == true)
    }

    @Test func bucketsFloorTowardsMinusInfinityAndClampHugeTimes() {
        #expect(EquityHistoryPolicy.bucket(119.9, interval: 60) == 1)
        #expect(EquityHistoryPolicy.bucket(-0.5, interval: 60) == -1)
        #expect(EquityHistoryPolicy.bucket(1e300, interval: 1) == Int64(4.6e18))
    }
}
